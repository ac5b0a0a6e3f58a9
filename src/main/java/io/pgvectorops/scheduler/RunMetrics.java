package io.pgvectorops.scheduler;

import io.pgvectorops.jobs.RunStatus;
import java.time.Duration;

/** Told the end of every run, for the Prometheus metrics of runs. */
public interface RunMetrics {
  RunMetrics NONE = (job, kind, target, status, took) -> {};

  void ended(String job, String kind, String target, RunStatus status, Duration took);
}
