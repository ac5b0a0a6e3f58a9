package io.pgvectorops.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest recall and latency measured of each vector index: provided by the kind that measures
 * them (regression), used by other kinds (index-rebuild writes what recall a rebuild replaced) and
 * by the chassis (the target API and the Prometheus series). A contract, so that no kind reads
 * another's store.
 */
public interface RecallReadings {
  /** The label of the probe set that measures an index over all its rows (no filter). */
  String ALL_ROWS = "all rows";

  /** The latest measurement of one probe set of an index. */
  record Latest(
      String index,
      String label,
      Integer k,
      Instant measuredAt,
      double recall,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      boolean planUsesIndex) {}

  /** The latest measurement of each live probe set of the target's indexes. */
  List<Latest> latestOfTarget(String target);

  /** A measurement whose recall moved from the one before it by at least a step. */
  record Change(
      String index,
      String label,
      Instant measuredAt,
      Long runId,
      double recall,
      double earlierRecall,
      Map<String, String> settings) {}

  /** The recall changes on a target's live probe sets since a time, newest first. */
  List<Change> changesOfTarget(String target, Instant since, double step);

  /**
   * The query vectors the index is measured with over all its rows (its probe set {@link
   * #ALL_ROWS}: the application's queries when the job reads them with {@code source: sql}, else
   * rows it sampled), as text of the column's type; empty when it has none.
   */
  List<String> queryVectors(String target, String index);
}
