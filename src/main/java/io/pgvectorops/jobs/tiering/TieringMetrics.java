package io.pgvectorops.jobs.tiering;

import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.Targets;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;

/**
 * {@code pgvector_ops_tiering_rows_moved_total{target}}: rows moved between tiers, for every
 * configured target (0 before its first move).
 */
final class TieringMetrics implements MultiCollector {
  private final TieringRecords records;
  private final Targets targets;

  TieringMetrics(TieringRecords records, Targets targets) {
    this.records = records;
    this.targets = targets;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, Long> moved = records.rowsMoved();
    CounterSnapshot.Builder counter =
        CounterSnapshot.builder()
            .name("pgvector_ops_tiering_rows_moved")
            .help("Rows moved between tiers by the tiering job (dry runs excluded)");
    for (Target t : targets.all()) {
      counter.dataPoint(
          CounterSnapshot.CounterDataPointSnapshot.builder()
              .value(moved.getOrDefault(t.name(), 0L))
              .labels(Labels.of("target", t.name()))
              .build());
    }
    return MetricSnapshots.of(counter.build());
  }
}
