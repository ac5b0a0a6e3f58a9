package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.jobs.ApiContext;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.regression.RegressionStore.Point;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.jobs.regression.RegressionStore.SeriesRow;
import io.pgvectorops.targets.Targets;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The regression job's series per index, and the operator's hold on its baselines. */
// a discovered target's name holds a '/' (entry/database): the index is the last segment
@Path("/api/regression")
@Produces(MediaType.APPLICATION_JSON)
public class RegressionResource {
  /** The reason a baseline pinned by an operator carries; the job never moves such a baseline. */
  static final String PINNED_BY_API = "pinned through the API";

  private final RegressionStore store;

  /** The rebuilds of the index-rebuild kind, when it is installed: marked on the series. */
  private final Optional<RebuildHistory> rebuilds;

  private final Targets targets;
  private final Clock clock;

  private static final String SERIES = "/{target: .+}/{index: [^/]+}";

  /**
   * {@code /api/regression/series?target=&index=}: one segment, so it never matches {@link #SERIES}
   * (which needs two).
   */
  private static final String BY_QUERY = "/series";

  public RegressionResource(RegressionStore store, ApiContext api) {
    this.store = store;
    this.rebuilds = api.uses(RebuildHistory.class);
    this.targets = api.targets();
    this.clock = api.clock();
  }

  /** {@code GET /api/regression/{target}/{index}}: the series of each probe set, and rebuilds. */
  public record SeriesAnswer(
      String target,
      String index,
      Instant since,
      List<ProbeSetSeries> probeSets,
      List<RebuildHistory.Rebuild> rebuilds) {}

  /** One probe set's points, its baseline and its latest tuning sweep. */
  public record ProbeSetSeries(
      long id,
      String label,
      String filter,
      JsonNode spec,
      Instant createdAt,
      Instant retiredAt,
      BaselineView baseline,
      TuningView tuning,
      List<PointView> points) {}

  public record BaselineView(
      long pointId, String reason, double recall, double p95Ms, Instant measuredAt) {}

  public record TuningView(Instant measuredAt, JsonNode sweep) {}

  /**
   * One measurement, as stored. In a series {@code baseline} says whether it is the baseline; a pin
   * answers with its probe set and the reason.
   */
  public record PointView(
      @JsonUnwrapped Point point,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean baseline,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long probeSetId,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}

  /** {@code DELETE}: the labels of the probe sets retired. */
  public record Retired(List<String> retired) {}

  @Reading
  @GET
  @Path(SERIES)
  public SeriesAnswer series(
      @PathParam("target") String target,
      @PathParam("index") String index,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit) {
    knownTarget(target);
    Instant from = since(since);
    List<SeriesRow> rows = store.series(target, index, from, Params.limit(limit, 2000, 20000));
    boolean live = store.liveProbeSets(target).stream().anyMatch(s -> s.index().equals(index));
    if (rows.isEmpty() && !live) {
      throw new NotFoundException(
          "no regression measurements of index '"
              + index
              + "' on target '"
              + target
              + "' (is a regression job configured for it?)");
    }
    Map<Long, List<SeriesRow>> bySet = new LinkedHashMap<>();
    rows.forEach(r -> bySet.computeIfAbsent(r.probeSetId(), id -> new ArrayList<>()).add(r));
    // rebuilds in the same period, to mark on the series (a rebuild explains a step in recall or
    // latency)
    return new SeriesAnswer(
        target,
        index,
        from,
        bySet.values().stream().map(RegressionResource::probeSet).toList(),
        rebuilds.map(h -> h.rebuildsOf(target)).orElse(List.of()).stream()
            .filter(r -> r.index().equals(index) && !r.endedAt().isBefore(from))
            .toList());
  }

  /** A probe set's rows, oldest first: the last baseline and the last sweep are the current. */
  private static ProbeSetSeries probeSet(List<SeriesRow> rows) {
    SeriesRow first = rows.get(0);
    BaselineView baseline = null;
    TuningView tuning = null;
    List<PointView> points = new ArrayList<>();
    for (SeriesRow r : rows) {
      Point p = r.point();
      points.add(new PointView(p, r.isBaseline(), null, null));
      if (r.isBaseline()) {
        baseline =
            new BaselineView(p.id(), r.baselineReason(), p.recall(), p.p95Ms(), p.measuredAt());
      }
      if (p.sweep() != null && !p.sweep().isEmpty()) {
        tuning = new TuningView(p.measuredAt(), p.sweep());
      }
    }
    JsonNode filter = first.spec().path("filter");
    return new ProbeSetSeries(
        first.probeSetId(),
        first.label(),
        filter.isNull() || filter.isMissingNode() ? null : filter.asText(),
        first.spec(),
        first.createdAt(),
        first.retiredAt(),
        baseline,
        tuning,
        points);
  }

  /** Pins the baseline to the latest point of the index's probe set (label, default all rows). */
  @Mutating(role = Role.operator, action = "baseline-pin")
  @POST
  @Path(SERIES + "/baseline")
  public PointView pin(
      @PathParam("target") String target,
      @PathParam("index") String index,
      @QueryParam("label") String label) {
    knownTarget(target);
    String l = label == null || label.isBlank() ? RegressionStore.ALL_ROWS : label;
    ProbeSet set =
        store
            .liveProbeSet(target, index, l)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "no probe set '"
                            + l
                            + "' of index '"
                            + index
                            + "' on target '"
                            + target
                            + "'"));
    Point latest =
        store.recentPoints(set.id(), 1).stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "probe set '" + l + "' of index '" + index + "' has no measurement yet"));
    if (!latest.planUsesIndex()) {
      throw Params.conflict(
          "the latest measurement did not use the index (plan regression): not a baseline");
    }
    store.pinBaseline(set.id(), latest.id(), PINNED_BY_API, clock.instant());
    return new PointView(latest, null, set.id(), PINNED_BY_API);
  }

  /**
   * Retires the index's probe sets (e.g. it was dropped on purpose): no more findings; the series
   * stays.
   */
  @Mutating(role = Role.operator, action = "probe-set-retire")
  @DELETE
  @Path(SERIES)
  public Retired retire(@PathParam("target") String target, @PathParam("index") String index) {
    knownTarget(target);
    List<ProbeSet> sets =
        store.liveProbeSets(target).stream().filter(s -> s.index().equals(index)).toList();
    if (sets.isEmpty()) {
      throw new NotFoundException(
          "no probe set of index '" + index + "' on target '" + target + "' in use");
    }
    sets.forEach(s -> store.retire(s, clock.instant()));
    return new Retired(sets.stream().map(ProbeSet::label).toList());
  }

  /**
   * The same series with the target and index as query parameters, for an index whose name holds a
   * '/' (a path segment cannot carry one: Jetty refuses an encoded slash).
   */
  @Reading
  @GET
  @Path(BY_QUERY)
  public SeriesAnswer seriesByQuery(
      @QueryParam("target") String target,
      @QueryParam("index") String index,
      @QueryParam("since") String since,
      @QueryParam("limit") String limit) {
    return series(required("target", target), required("index", index), since, limit);
  }

  @Mutating(role = Role.operator, action = "baseline-pin")
  @POST
  @Path(BY_QUERY + "/baseline")
  public PointView pinByQuery(
      @QueryParam("target") String target,
      @QueryParam("index") String index,
      @QueryParam("label") String label) {
    return pin(required("target", target), required("index", index), label);
  }

  @Mutating(role = Role.operator, action = "probe-set-retire")
  @DELETE
  @Path(BY_QUERY)
  public Retired retireByQuery(
      @QueryParam("target") String target, @QueryParam("index") String index) {
    return retire(required("target", target), required("index", index));
  }

  private static String required(String name, String value) {
    if (value == null || value.isEmpty()) {
      throw new BadRequestException("?" + name + "= is required");
    }
    return value;
  }

  private void knownTarget(String target) {
    if (targets.get(target).isEmpty()) {
      throw new NotFoundException("no target named '" + target + "'");
    }
  }

  private Instant since(String value) {
    if (value == null || value.isBlank()) {
      return clock.instant().minus(Duration.ofDays(90));
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new BadRequestException(
          "since must be an ISO-8601 instant like 2026-11-01T00:00:00Z, got '" + value + "'");
    }
  }
}
