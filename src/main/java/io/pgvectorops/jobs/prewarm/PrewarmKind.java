package io.pgvectorops.jobs.prewarm;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;

public final class PrewarmKind implements JobKind {
  @Override
  public String name() {
    return "prewarm";
  }

  /** A write kind by the design's rules: it skips standbys and honours windows. */
  @Override
  public boolean writes() {
    return true;
  }

  @Override
  public Class<?> paramsType() {
    return PrewarmParams.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    return new PrewarmJob(definition.params(PrewarmParams.class), services.inventory());
  }
}
