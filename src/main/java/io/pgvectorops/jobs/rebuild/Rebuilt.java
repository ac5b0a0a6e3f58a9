package io.pgvectorops.jobs.rebuild;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import java.time.Instant;
import java.util.List;

/**
 * One index rebuilt, or the error that left the original in place.
 *
 * @param notices what the server said during the build (pgvector's "hnsw graph no longer fits into
 *     maintenance_work_mem after N tuples"), absent when nothing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rebuilt(
    String index,
    String reason,
    RebuildPlanner.SettingsUsed settings,
    @Shown(unit = Unit.bytes) Long sizeBefore,
    @Shown(unit = Unit.bytes) Long sizeAfter,
    Double seconds,
    List<String> notices,
    List<RecallSeen> recallBefore,
    String recallAfter,
    Double vacuumSeconds,
    String error) {
  static Rebuilt failed(String index, String error) {
    return new Rebuilt(index, null, null, null, null, null, null, null, null, null, error);
  }

  /** The latest recall the regression job measured for the index before its rebuild. */
  public record RecallSeen(String label, double recall, double p95Ms, Instant measuredAt) {}
}
