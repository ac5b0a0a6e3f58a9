package io.pgvectorops.testing;

import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;
import io.pgvectorops.jobs.MaintenanceWindow;
import java.util.List;

/** A job kind made in a test: a name, whether it writes, and what a run does. */
public record FakeKind(String name, boolean writes, Job job) implements JobKind {
  @Override
  public Class<?> paramsType() {
    return Object.class;
  }

  @Override
  public Job create(JobDefinition definition, JobServices services) {
    if (job == null) {
      throw new UnsupportedOperationException("this fake kind only describes itself");
    }
    return job;
  }

  /** A job of this kind on target "main". */
  public JobDefinition definition(String jobName, MaintenanceWindow window) {
    return new JobDefinition(
        jobName, this, "0 * * * * ?", List.of("main"), window, false, null, "test", null);
  }
}
