package io.pgvectorops.scheduler;

import io.pgvectorops.jobs.RunStatus;
import java.time.Duration;

/** Told the end of every run and the scheduler's misfires, for the Prometheus metrics. */
public interface RunMetrics {
  RunMetrics NONE = new RunMetrics() {};

  /**
   * @param cpu the CPU time the run's thread used (its work in the daemon, not in the database)
   * @param waited how long it waited for a slot on its server
   */
  default void ended(
      String job,
      String kind,
      String target,
      RunStatus status,
      Duration took,
      Duration cpu,
      Duration waited) {}

  /** A fire that found no free scheduler thread within Quartz's misfire threshold. */
  default void misfired(String job) {}
}
