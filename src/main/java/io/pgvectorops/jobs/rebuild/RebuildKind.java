package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class RebuildKind implements JobKind {
  @Override
  public String name() {
    return "index-rebuild";
  }

  /** Runs DDL: skips standbys, honours windows. */
  @Override
  public boolean writes() {
    return true;
  }

  @Override
  public Class<?> paramsType() {
    return RebuildParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new RebuildJob(
        definition, definition.params(RebuildParams.class), services.regression());
  }
}
