package io.pgvectorops.scheduler;

import io.pgvectorops.jobs.JobDefinition;

/**
 * Told after a run's findings are recorded (not after a skipped run without findings); the alert
 * engine is one.
 */
public interface RunObserver {
  void recorded(JobDefinition job, String target, long runId);
}
