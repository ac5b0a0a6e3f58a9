package io.pgvectorops.api;

import io.pgvectorops.scheduler.QuartzScheduler;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.target.TargetSnapshot;
import io.pgvectorops.target.Targets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
  private final String version;
  private final Instant startedAt;
  private final Clock clock;
  private final QuartzScheduler scheduler;
  private final Targets targets;
  private final InventoryStore inventory;
  private final FindingStore findings;
  private final io.pgvectorops.alert.AlertStore alerts;
  private final boolean writable;
  private final ShortCache<byte[]> cache;
  private final com.fasterxml.jackson.databind.ObjectMapper mapper;

  public StatusResource(
      String version,
      Instant startedAt,
      Clock clock,
      QuartzScheduler scheduler,
      Targets targets,
      InventoryStore inventory,
      FindingStore findings,
      io.pgvectorops.alert.AlertStore alerts,
      boolean writable,
      com.fasterxml.jackson.databind.ObjectMapper mapper) {
    this.version = version;
    this.startedAt = startedAt;
    this.clock = clock;
    this.scheduler = scheduler;
    this.targets = targets;
    this.inventory = inventory;
    this.findings = findings;
    this.alerts = alerts;
    this.writable = writable;
    this.mapper = mapper;
    this.cache = new ShortCache<>(Duration.ofSeconds(1), clock);
  }

  /**
   * At most a second old: pollers and dashboards share one computation, and one serialization, per
   * second (ShortCache); bench/api-load measures what that buys.
   */
  @GET
  public byte[] status() {
    return cache.get("", () -> ShortCache.json(mapper, compute()));
  }

  private Map<String, Object> compute() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", version);
    out.put("startedAt", startedAt);
    out.put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds());
    Map<String, Object> sched = new LinkedHashMap<>();
    sched.put("state", scheduler.state());
    sched.put("instanceId", scheduler.instanceId());
    out.put("scheduler", sched);
    // tells the dashboard whether to offer "run now": without api.token every POST answers 403
    out.put("api", Map.of("readOnly", !writable));
    out.put("targets", TargetViews.summaries(targets, inventory.snapshots()));
    out.put("openFindings", findings.openCountsBySeverity());
    var firing = alerts.list("firing", 5000);
    var silences = alerts.activeSilences(clock.instant());
    long silenced =
        firing.stream()
            .filter(
                a -> silences.stream().anyMatch(s -> s.matches(a.target(), a.object(), a.kind())))
            .count();
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("firing", firing.size());
    a.put("silenced", silenced);
    a.put("deliveries", alerts.deliveryCounts());
    out.put("alerts", a);
    return out;
  }

  static Map<String, TargetSnapshot> byTarget(List<TargetSnapshot> snapshots) {
    return snapshots.stream()
        .collect(Collectors.toMap(TargetSnapshot::target, Function.identity()));
  }
}
