package io.pgvectorops.jobs.tally;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** {@code pgvector_ops_tally_runs{target}}, read from the kind's table at scrape time. */
public final class TallyMetrics implements MultiCollector {
  private final TallyStore store;

  public TallyMetrics(TallyStore store) {
    this.store = store;
  }

  @Override
  public MetricSnapshots collect() {
    GaugeSnapshot.Builder runs =
        GaugeSnapshot.builder().name("pgvector_ops_tally_runs").help("Tally runs per target");
    for (TallyStore.Count c : store.counts()) {
      runs.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .value(c.runs())
              .labels(Labels.of("target", c.target()))
              .build());
    }
    return MetricSnapshots.of(runs.build());
  }
}
