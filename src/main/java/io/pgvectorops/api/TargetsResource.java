package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.jobs.TargetSelection;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.state.TargetInventory;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.Targets;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

@Path("/api/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {
  private final Targets targets;
  private final InventoryStore inventory;

  private final IndexFigures figures;
  private final ObjectMapper mapper;

  /** At most a second old, one computation per target per second however many clients poll. */
  private final ShortCache<byte[]> cache =
      new ShortCache<>(Duration.ofSeconds(1), Clock.systemUTC());

  private final FindingStore findings;
  private final Advisories advisories;
  private final Timeline timeline;
  private final Clock clock;

  public TargetsResource(
      Targets targets,
      InventoryStore inventory,
      IndexFigures figures,
      ObjectMapper mapper,
      FindingStore findings,
      Advisories advisories,
      Timeline.Sources sources) {
    this.timeline = new Timeline(findings, sources.runs(), sources.audit(), figures);
    this.clock = sources.clock();
    this.findings = findings;
    this.advisories = advisories;
    this.targets = targets;
    this.inventory = inventory;
    this.figures = figures;
    this.mapper = mapper;
  }

  /**
   * {@code GET /api/targets[?labels=env=prod,cluster=eu-1]}: every target, or those carrying all
   * the labels given.
   */
  @Reading
  @GET
  public List<TargetViews.TargetView> list(@QueryParam("labels") String labels) {
    Map<String, String> wanted = labels == null ? Map.of() : TargetSelection.labels(labels);
    if (labels != null && wanted.isEmpty()) {
      throw new BadRequestException(
          "labels: '" + labels + "' is not key=value (or key=value,key=value for both)");
    }
    return TargetViews.summaries(
            targets,
            inventory.snapshots(),
            advisories,
            TargetViews.openAdvisories(findings.openOfKind(TargetViews.ADVISORY_KIND)),
            today())
        .stream()
        .filter(t -> t.labels().entrySet().containsAll(wanted.entrySet()))
        .toList();
  }

  @Reading
  @GET
  @Path("/{name: .+}")
  public byte[] one(@PathParam("name") String name) {
    Target t =
        targets
            .get(name)
            .orElseThrow(() -> new NotFoundException("no target named '" + name + "'"));
    return cache.get(name, () -> ShortCache.json(mapper, compute(t, name)));
  }

  /**
   * A day's sample of an index, and whether that index is still in the target's latest inventory
   * (false: dropped or renamed since; its days stay until state.historyDays, as the capacity
   * forecasts read them).
   */
  public record HistoryDay(@JsonUnwrapped TargetInventory.Sample sample, boolean present) {}

  /**
   * {@code GET /api/targets/{name}/history[?index=&days=]}: the daily samples of the target's
   * vector indexes (size, rows, residency, table size), oldest first per index.
   */
  @Reading
  @GET
  @Path("/{name: .+}/history")
  public List<HistoryDay> history(
      @PathParam("name") String name,
      @QueryParam("index") String index,
      @QueryParam("days") String days) {
    targets.get(name).orElseThrow(() -> new NotFoundException("no target named '" + name + "'"));
    int n = Params.limit(days, 90, 3660);
    Set<String> present =
        inventory.indexes(name).stream()
            .map(VectorIndex::qualifiedName)
            .collect(Collectors.toSet());
    return inventory.history(name, today().minusDays(n)).stream()
        .filter(s -> index == null || s.index().equals(index))
        .map(s -> new HistoryDay(s, present.contains(s.index())))
        .toList();
  }

  /**
   * {@code GET /api/targets/{name}/timeline[?days=7&limit=200]}: what changed on the target, newest
   * first (findings opened and resolved, recall moves, rebuilds, reloads, version changes).
   */
  @Reading
  @GET
  @Path("/{name: .+}/timeline")
  public List<Timeline.Event> timeline(
      @PathParam("name") String name,
      @QueryParam("days") String days,
      @QueryParam("limit") String limit) {
    targets.get(name).orElseThrow(() -> new NotFoundException("no target named '" + name + "'"));
    Instant since = clock.instant().minus(Duration.ofDays(Params.limit(days, 7, 366)));
    return timeline.of(name, since, Params.limit(limit, 200, 1000));
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  private TargetViews.TargetDetail compute(Target t, String name) {
    var snapshot = StatusResource.byTarget(inventory.snapshots()).get(name);
    // the known pgvector defects health found applying here, open until an upgrade
    List<FindingRecord> open =
        findings.openOfKind(TargetViews.ADVISORY_KIND).stream()
            .filter(f -> f.target().equals(name))
            .toList();
    return new TargetViews.TargetDetail(
        TargetViews.summary(
            t, snapshot, advisories, open.stream().map(FindingRecord::object).toList(), today()),
        snapshot == null ? null : snapshot.extensions(),
        TargetViews.indexes(name, inventory.indexes(name), figures),
        open);
  }
}
