package io.pgvectorops.jobs;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.sql.DbException;
import java.time.Instant;
import java.util.List;

/** The work of one job kind on one target. A new instance is made for every run. */
public interface Job {
  /**
   * Database errors arrive as {@link DbException} (converted at the JDBC boundary) and fail the run
   * with the database's words; anything else is a bug, reported as an internal error.
   */
  JobResult run(JobContext context);

  /** Findings to record when the target cannot be reached at all (only health raises any). */
  default List<Finding> whenUnreachable(String target, DbException cause, Instant now) {
    return List.of();
  }
}
