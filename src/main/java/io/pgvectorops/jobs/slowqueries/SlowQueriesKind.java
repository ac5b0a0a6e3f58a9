package io.pgvectorops.jobs.slowqueries;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class SlowQueriesKind implements JobKind {
  @Override
  public String name() {
    return "slow-queries";
  }

  @Override
  public boolean writes() {
    return false;
  }

  @Override
  public Class<?> paramsType() {
    return SlowQueriesParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new SlowQueriesJob(definition.params(SlowQueriesParams.class), services.snapshots());
  }
}
