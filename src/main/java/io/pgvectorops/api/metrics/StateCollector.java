package io.pgvectorops.api.metrics;

import io.pgvectorops.alert.AlertRecord;
import io.pgvectorops.alert.AlertState;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.api.ShortCache;
import io.pgvectorops.api.TargetViews;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.TargetSnapshot;
import io.pgvectorops.targets.Targets;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon knows, read from the state schema at scrape time (at most once per {@link
 * #MAX_AGE}, however often Prometheus scrapes): targets, vector indexes, the jobs' last runs, open
 * findings, firing alerts, the outbox (the kinds add their own series: KindCollector). Every label
 * is a configured name or a catalog name of a vector index (capped per target); never query text or
 * query ids.
 */
public final class StateCollector implements MultiCollector {
  static final Duration MAX_AGE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(StateCollector.class);

  /** The stores the figures come from. */
  public record Sources(
      Targets targets,
      InventoryStore inventory,
      IndexFigures figures,
      RunStore runs,
      FindingStore findings,
      AlertStore alerts) {}

  private final Sources s;
  private final int maxIndexesPerTarget;
  private final List<String> targetLabels;
  private final ShortCache<MetricSnapshots> cache;

  /**
   * @param maxIndexesPerTarget the largest indexes of a target that get series of their own
   */
  public StateCollector(
      Sources sources, int maxIndexesPerTarget, List<String> targetLabels, Clock clock) {
    this.s = sources;
    this.targetLabels = List.copyOf(targetLabels);
    this.maxIndexesPerTarget = maxIndexesPerTarget;
    this.cache = new ShortCache<>(MAX_AGE, clock);
  }

  @Override
  public MetricSnapshots collect() {
    return cache.get("", this::read);
  }

  private MetricSnapshots read() {
    Snapshots out = new Snapshots();
    try {
      targets(out);
      indexes(out);
      runs(out);
      alerts(out);
      out.gauge("pgvector_ops_state_database_up", "Whether the state database answered", 1);
    } catch (DbException e) {
      // the state database is down: say so rather than fail the scrape
      LOG.debug("metrics: the state database did not answer: {}", e.getMessage());
      out = new Snapshots();
      out.gauge("pgvector_ops_state_database_up", "Whether the state database answered", 0);
    }
    return out.build();
  }

  private void labels(Snapshots out, Target t) {
    List<String> labels = new ArrayList<>(List.of("target", t.name()));
    for (String key : targetLabels) {
      String value = t.config().labels.get(key);
      if (value != null) {
        labels.add(key);
        labels.add(value);
      }
    }
    out.info(
        "pgvector_ops_target_labels",
        "The target's labels named in prometheus.targetLabels, to join other series on target",
        labels.toArray(String[]::new));
  }

  private void targets(Snapshots out) {
    Map<String, TargetSnapshot> seen =
        s.inventory().snapshots().stream()
            .collect(Collectors.toMap(TargetSnapshot::target, Function.identity(), (a, b) -> a));
    for (Target t : s.targets().all()) {
      TargetSnapshot snap = seen.get(t.name());
      boolean up = snap != null && snap.reachable();
      out.gauge(
          "pgvector_ops_target_up",
          "1 when the target's latest health check reached it, else 0 (also before the first)",
          up ? 1 : 0,
          "target",
          t.name());
      if (!targetLabels.isEmpty()) {
        labels(out, t);
      }
      if (snap != null && snap.serverVersion() != null) {
        out.info(
            "pgvector_ops_target",
            "Versions and role of the target as its latest health check saw them",
            "target",
            t.name(),
            "server_version",
            snap.serverVersion().split(" ")[0],
            "pgvector_version",
            snap.pgvectorVersion() == null ? "" : snap.pgvectorVersion(),
            "role",
            snap.inRecovery() == null ? "unknown" : snap.inRecovery() ? "standby" : "primary");
      }
    }
  }

  private void indexes(Snapshots out) {
    for (Target t : s.targets().all()) {
      List<VectorIndex> all = s.inventory().indexes(t.name());
      List<VectorIndex> kept =
          all.stream()
              .sorted(Comparator.comparingLong(VectorIndex::sizeBytes).reversed())
              .limit(maxIndexesPerTarget)
              .toList();
      out.gauge(
          "pgvector_ops_target_indexes_not_exported",
          "Vector indexes of the target beyond prometheus.maxIndexesPerTarget (the smallest)",
          all.size() - kept.size(),
          "target",
          t.name());
      for (TargetViews.IndexView v : TargetViews.indexes(t.name(), kept, s.figures())) {
        IndexSeries.add(out, t.name(), v);
      }
    }
  }

  private void runs(Snapshots out) {
    for (RunStore.LastEnded r : s.runs().lastEndedPerJobAndTarget()) {
      String[] labels = {"job", r.job(), "kind", r.kind(), "target", r.target()};
      out.gauge(
          "pgvector_ops_job_last_run_end_timestamp_seconds",
          "When the latest ended run of the job on the target ended (Unix time)",
          r.endedAt().toEpochMilli() / 1000.0,
          labels);
      out.gauge(
          "pgvector_ops_job_last_run_success",
          "1 when the latest ended run of the job on the target succeeded, else 0",
          r.status().equals("succeeded") ? 1 : 0,
          labels);
    }
    for (FindingStore.OpenCount c : s.findings().openCounts()) {
      out.gauge(
          "pgvector_ops_findings_open",
          "Open findings per target, kind and severity",
          c.count(),
          "target",
          c.target(),
          "kind",
          c.kind(),
          "severity",
          c.severity());
    }
  }

  private void alerts(Snapshots out) {
    Map<String, Long> firing =
        s.alerts().list(AlertState.firing.name(), 100_000).stream()
            .collect(Collectors.groupingBy(a -> severity(a), Collectors.counting()));
    for (String severity : List.of("critical", "warning", "info")) {
      out.gauge(
          "pgvector_ops_alerts_firing",
          "Alerts firing, silenced ones included, per severity",
          firing.getOrDefault(severity, 0L),
          "severity",
          severity);
    }
    s.alerts()
        .deliveryCounts()
        .forEach(
            (channel, byStatus) -> {
              out.gauge(
                  "pgvector_ops_outbox_pending_deliveries",
                  "Notifications waiting in the outbox for the channel (first try or a retry)",
                  byStatus.getOrDefault("pending", 0L),
                  "channel",
                  channel);
              out.gauge(
                  "pgvector_ops_outbox_dead_deliveries",
                  "Notifications the channel never accepted within alerts.maxDeliveryAge",
                  byStatus.getOrDefault("dead", 0L),
                  "channel",
                  channel);
            });
  }

  private static String severity(AlertRecord a) {
    return a.severity().name();
  }
}
