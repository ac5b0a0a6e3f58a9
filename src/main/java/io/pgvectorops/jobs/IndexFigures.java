package io.pgvectorops.jobs;

import java.util.Optional;

/**
 * What kinds add to each vector index in the chassis's views (the target API, the metrics): the
 * latest recall and latency, and the last rebuild, each empty when no installed kind provides it.
 */
public record IndexFigures(Optional<RecallReadings> recall, Optional<RebuildHistory> rebuilds) {
  /** As the installed kinds provide them. */
  public static IndexFigures of(InstalledKinds kinds) {
    return new IndexFigures(
        kinds.provided(RecallReadings.class), kinds.provided(RebuildHistory.class));
  }
}
