package io.pgvectorops.jobs.sqlcheck;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class SqlCheckKind implements JobKind {
  @Override
  public String name() {
    return "sql-check";
  }

  /** Read-only by construction (READ ONLY transaction), so it also runs on standbys. */
  @Override
  public boolean writes() {
    return false;
  }

  @Override
  public Class<?> paramsType() {
    return SqlCheckParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new SqlCheckJob(definition.name(), definition.params(SqlCheckParams.class));
  }
}
