package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class RegressionKind implements JobKind {
  @Override
  public String name() {
    return "regression";
  }

  /**
   * Read-only on the target (it measures a standby's indexes too); its own records go to the state
   * schema.
   */
  @Override
  public boolean writes() {
    return false;
  }

  @Override
  public Class<?> paramsType() {
    return RegressionParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new RegressionJob(definition.params(RegressionParams.class), services.regression());
  }
}
