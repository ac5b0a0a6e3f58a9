package io.pgvectorops.jobs;

import java.time.Instant;
import java.util.List;

/**
 * The indexes rebuilt on a target: provided by the kind that rebuilds them (index-rebuild), used by
 * the regression kind (a rebuild explains a step in a recall series) and by the chassis (the target
 * API's and the metrics' last rebuild of each index).
 */
public interface RebuildHistory {
  /** One index rebuilt by a run of an index-rebuild job. */
  record Rebuild(
      long runId,
      Instant endedAt,
      String index,
      String reason,
      Double seconds,
      Long sizeBefore,
      Long sizeAfter) {}

  /** The indexes rebuilt on a target, newest first. */
  List<Rebuild> rebuildsOf(String target);
}
