package io.pgvectorops.jobs.tiering;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class TieringKind implements JobKind {
  @Override
  public String name() {
    return "tiering";
  }

  @Override
  public boolean writes() {
    return true;
  }

  @Override
  public Class<?> paramsType() {
    return TieringParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new TieringJob(definition.params(TieringParams.class));
  }
}
