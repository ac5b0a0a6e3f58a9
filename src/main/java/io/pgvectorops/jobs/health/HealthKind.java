package io.pgvectorops.jobs.health;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class HealthKind implements JobKind {
  @Override
  public String name() {
    return "health";
  }

  @Override
  public boolean writes() {
    return false;
  }

  @Override
  public Class<?> paramsType() {
    return HealthParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new HealthJob(definition.params(HealthParams.class), services.inventory());
  }
}
