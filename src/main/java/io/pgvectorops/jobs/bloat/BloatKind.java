package io.pgvectorops.jobs.bloat;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class BloatKind implements JobKind {
  @Override
  public String name() {
    return "bloat";
  }

  @Override
  public boolean writes() {
    return false;
  }

  @Override
  public Class<?> paramsType() {
    return BloatParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new BloatJob(definition.params(BloatParams.class), services.inventory());
  }
}
