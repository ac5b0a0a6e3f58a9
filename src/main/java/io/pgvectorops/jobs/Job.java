package io.pgvectorops.jobs;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.sql.DbException;
import java.util.List;

/** The work of one job kind on one target. A new instance is made for every run. */
public interface Job {
  JobResult run(JobContext context) throws Exception;

  /** Findings to record when the target cannot be reached at all (only health raises any). */
  default List<Finding> whenUnreachable(String target, DbException cause, java.time.Instant now) {
    return List.of();
  }
}
