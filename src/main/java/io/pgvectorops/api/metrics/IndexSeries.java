package io.pgvectorops.api.metrics;

import io.pgvectorops.api.TargetViews;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RecallReadings;

/**
 * One vector index's series, labelled {target, index}: what the inventory, bloat, prewarm,
 * regression and index-rebuild jobs last measured. A figure not measured yet has no sample.
 */
final class IndexSeries {
  private IndexSeries() {}

  static void add(Snapshots out, String target, TargetViews.IndexView v) {
    VectorIndex i = v.index();
    String[] l = {"target", target, "index", i.qualifiedName()};
    out.gauge(
        "pgvector_ops_index_size_bytes", "Size of the vector index on disk", i.sizeBytes(), l);
    if (i.rows() != null) {
      out.gauge("pgvector_ops_index_rows", "Rows of the index's table (estimate)", i.rows(), l);
    }
    if (i.bloat() != null) {
      out.gauge(
          "pgvector_ops_index_bloat_ratio",
          "Estimated share of the index that is waste (bloat job, 0 to 1)",
          i.bloat().ratio(),
          l);
    }
    if (i.residency() != null) {
      out.gauge(
          "pgvector_ops_index_residency_ratio",
          "Share of the index in shared buffers (prewarm job, 0 to 1)",
          i.residency(),
          l);
    }
    if (v.regression() != null) {
      recall(out, target, i.qualifiedName(), v.regression());
    }
    if (v.lastRebuild() != null && v.lastRebuild().endedAt() != null) {
      rebuild(out, v.lastRebuild(), l);
    }
  }

  private static void recall(Snapshots out, String target, String index, RecallReadings.Latest r) {
    String[] l = {"target", target, "index", index};
    out.gauge(
        "pgvector_ops_index_recall",
        "Recall@k of the index against exact search, latest regression run (0 to 1)",
        r.recall(),
        "target",
        target,
        "index",
        index,
        "k",
        r.k() == null ? "" : String.valueOf(r.k()));
    out.gauge(
        "pgvector_ops_index_latency_p50_seconds",
        "Median latency of the index's probe queries, latest regression run",
        r.p50Ms() / 1000,
        l);
    out.gauge(
        "pgvector_ops_index_latency_p95_seconds",
        "95th percentile latency of the index's probe queries, latest regression run",
        r.p95Ms() / 1000,
        l);
  }

  private static void rebuild(Snapshots out, RebuildHistory.Rebuild last, String[] l) {
    out.gauge(
        "pgvector_ops_index_last_rebuild_timestamp_seconds",
        "When an index-rebuild job last rebuilt the index (Unix time)",
        last.endedAt().toEpochMilli() / 1000.0,
        l);
    if (last.seconds() != null) {
      out.gauge(
          "pgvector_ops_index_last_rebuild_duration_seconds",
          "How long the index's last rebuild took",
          last.seconds(),
          l);
    }
  }
}
