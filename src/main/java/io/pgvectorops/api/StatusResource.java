package io.pgvectorops.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.alert.AlertState;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.api.access.LiveAccess;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.config.ApiConfig;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.Reload;
import io.pgvectorops.http.Reading;
import io.pgvectorops.scheduler.QuartzScheduler;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.targets.TargetSnapshot;
import io.pgvectorops.targets.Targets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
  private final Advisories advisories;
  private final String version;
  private final Instant startedAt;
  private final Clock clock;
  private final QuartzScheduler scheduler;
  private final Targets targets;
  private final InventoryStore inventory;
  private final FindingStore findings;
  private final AlertStore alerts;
  private final LiveAccess access;
  private final Reload reload;
  private final ShortCache<byte[]> cache;
  private final ObjectMapper mapper;

  public StatusResource(
      String version,
      Instant startedAt,
      Clock clock,
      QuartzScheduler scheduler,
      Targets targets,
      InventoryStore inventory,
      FindingStore findings,
      AlertStore alerts,
      LiveAccess access,
      Reload reload,
      ObjectMapper mapper,
      Advisories advisories) {
    this.advisories = advisories;
    this.version = version;
    this.startedAt = startedAt;
    this.clock = clock;
    this.scheduler = scheduler;
    this.targets = targets;
    this.inventory = inventory;
    this.findings = findings;
    this.alerts = alerts;
    this.access = access;
    this.reload = reload;
    this.mapper = mapper;
    this.cache = new ShortCache<>(Duration.ofSeconds(1), clock);
  }

  /**
   * At most a second old: pollers and dashboards share one computation, and one serialization, per
   * second (ShortCache); bench/api-load measures what that buys.
   */
  @Reading
  @GET
  public byte[] status() {
    return cache.get("", () -> ShortCache.json(mapper, compute()));
  }

  /** {@code GET /api/status}. */
  record Status(
      String version,
      Instant startedAt,
      long uptimeSeconds,
      SchedulerView scheduler,
      ApiView api,
      List<TargetViews.TargetView> targets,
      Map<String, Long> openFindings,
      AlertCounts alerts,
      Reload.Report lastReload,
      List<String> targetProblems) {}

  record SchedulerView(String state, String instanceId) {}

  /**
   * Tells the dashboard whether to offer "run now" (readOnly: no operator token is configured, so
   * every POST answers 403) and whether reads need a token.
   */
  public record ApiView(boolean readOnly, ReadAccess readAccess) {}

  /** Firing alerts, how many of them are silenced, and deliveries by channel and state. */
  record AlertCounts(long firing, long silenced, Map<String, Map<String, Long>> deliveries) {}

  private Status compute() {
    var firing = alerts.list(AlertState.firing.name(), 5000);
    var silences = alerts.activeSilences(clock.instant());
    long silenced =
        firing.stream()
            .filter(
                a -> silences.stream().anyMatch(s -> s.matches(a.target(), a.object(), a.kind())))
            .count();
    return new Status(
        version,
        startedAt,
        Duration.between(startedAt, clock.instant()).toSeconds(),
        new SchedulerView(scheduler.state(), scheduler.instanceId()),
        apiView(access.current()),
        TargetViews.summaries(
            targets,
            inventory.snapshots(),
            advisories,
            TargetViews.openAdvisories(findings.openOfKind(TargetViews.ADVISORY_KIND)),
            LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)),
        findings.openCountsBySeverity(),
        new AlertCounts(firing.size(), silenced, alerts.deliveryCounts()),
        reload.last().orElse(null),
        reload.targetProblems());
  }

  private static ApiView apiView(LiveAccess.Access a) {
    return new ApiView(!a.tokens().anyWith(ApiConfig.Role.operator), a.readAccess());
  }

  static Map<String, TargetSnapshot> byTarget(List<TargetSnapshot> snapshots) {
    return snapshots.stream()
        .collect(Collectors.toMap(TargetSnapshot::target, Function.identity()));
  }
}
