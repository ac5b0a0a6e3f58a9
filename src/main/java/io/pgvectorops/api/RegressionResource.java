package io.pgvectorops.api;

import io.pgvectorops.state.RegressionStore;
import io.pgvectorops.state.RegressionStore.Point;
import io.pgvectorops.state.RegressionStore.ProbeSet;
import io.pgvectorops.state.RegressionStore.SeriesRow;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.target.Targets;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The regression job's series per index, and the operator's hold on its baselines. */
@Path("/api/regression/{target}/{index}")
@Produces(MediaType.APPLICATION_JSON)
public class RegressionResource {
  private final RegressionStore store;
  private final RunStore runs;
  private final Targets targets;
  private final ApiToken token;
  private final Clock clock;

  public RegressionResource(
      RegressionStore store, RunStore runs, Targets targets, ApiToken token, Clock clock) {
    this.store = store;
    this.runs = runs;
    this.targets = targets;
    this.token = token;
    this.clock = clock;
  }

  @GET
  public Map<String, Object> series(
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
    Map<Long, Map<String, Object>> sets = new LinkedHashMap<>();
    for (SeriesRow r : rows) {
      Map<String, Object> set =
          sets.computeIfAbsent(
              r.probeSetId(),
              id -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", id);
                s.put("label", r.label());
                s.put(
                    "filter",
                    r.spec().path("filter").isNull() ? null : r.spec().path("filter").asText());
                s.put("spec", r.spec());
                s.put("createdAt", r.createdAt());
                s.put("retiredAt", r.retiredAt());
                s.put("baseline", null);
                s.put("tuning", null);
                s.put("points", new ArrayList<Map<String, Object>>());
                return s;
              });
      Point p = r.point();
      Map<String, Object> point = point(p);
      point.put("baseline", r.isBaseline());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> points = (List<Map<String, Object>>) set.get("points");
      points.add(point);
      if (r.isBaseline()) {
        set.put(
            "baseline",
            Map.of(
                "pointId",
                p.id(),
                "reason",
                r.baselineReason(),
                "recall",
                p.recall(),
                "p95Ms",
                p.p95Ms(),
                "measuredAt",
                p.measuredAt()));
      }
      if (p.sweep() != null && !p.sweep().isEmpty()) {
        set.put("tuning", Map.of("measuredAt", p.measuredAt(), "sweep", p.sweep()));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("target", target);
    out.put("index", index);
    out.put("since", from);
    out.put("probeSets", new ArrayList<>(sets.values()));
    // rebuilds in the same period, to mark on the series (a rebuild explains a step in recall or
    // latency)
    out.put(
        "rebuilds",
        runs.rebuildsOf(target).stream()
            .filter(r -> r.index().equals(index) && !r.endedAt().isBefore(from))
            .toList());
    return out;
  }

  /** Pins the baseline to the latest point of the index's probe set (label, default all rows). */
  @POST
  @Path("/baseline")
  public Map<String, Object> pin(
      @PathParam("target") String target,
      @PathParam("index") String index,
      @QueryParam("label") String label,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    token.require(authorization);
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
      throw new WebApplicationException(
          Response.status(409)
              .entity(
                  Map.of(
                      "code",
                      409,
                      "message",
                      "the latest measurement did not use the index (plan regression): not a baseline"))
              .type(MediaType.APPLICATION_JSON)
              .build());
    }
    store.pinBaseline(set.id(), latest.id(), "pinned through the API", clock.instant());
    Map<String, Object> out = point(latest);
    out.put("probeSetId", set.id());
    out.put("reason", "pinned through the API");
    return out;
  }

  /**
   * Retires the index's probe sets (e.g. it was dropped on purpose): no more findings; the series
   * stays.
   */
  @DELETE
  public Map<String, Object> retire(
      @PathParam("target") String target,
      @PathParam("index") String index,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    token.require(authorization);
    knownTarget(target);
    List<ProbeSet> sets =
        store.liveProbeSets(target).stream().filter(s -> s.index().equals(index)).toList();
    if (sets.isEmpty()) {
      throw new NotFoundException(
          "no probe set of index '" + index + "' on target '" + target + "' in use");
    }
    sets.forEach(s -> store.retire(s, clock.instant()));
    return Map.of("retired", sets.stream().map(ProbeSet::label).toList());
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

  private static Map<String, Object> point(Point p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("runId", p.runId());
    m.put("measuredAt", p.measuredAt());
    m.put("recall", p.recall());
    m.put("p50Ms", p.p50Ms());
    m.put("p95Ms", p.p95Ms());
    m.put("p99Ms", p.p99Ms());
    m.put("settings", p.settings());
    m.put("indexDefinition", p.indexDefinition());
    m.put("planUsesIndex", p.planUsesIndex());
    m.put("starvedShare", p.starvedShare());
    m.put("recallBreach", p.recallBreach());
    m.put("latencyBreach", p.latencyBreach());
    m.put("baselineId", p.baselineId());
    m.put("note", p.note());
    return m;
  }
}
