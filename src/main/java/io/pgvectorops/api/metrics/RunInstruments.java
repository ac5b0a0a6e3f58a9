package io.pgvectorops.api.metrics;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * The runs' own instruments, counted as they end: how long each took and how each ended, per job,
 * kind and target. They start from zero with the daemon, as counters do.
 */
public final class RunInstruments implements RunMetrics {
  /** From a 10 ms health check to an hour-long rebuild. */
  private static final double[] BUCKETS = {
    0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200
  };

  private final Histogram duration;
  private final Counter runs;
  private final Counter cpu;
  private final Counter waited;
  private final Counter misfires;

  public RunInstruments(PrometheusRegistry registry) {
    this.duration =
        Histogram.builder()
            .name("pgvector_ops_job_run_duration_seconds")
            .help("How long runs took, per job, kind and target")
            .unit(Unit.SECONDS)
            .classicUpperBounds(BUCKETS)
            .classicOnly()
            .labelNames("job", "kind", "target")
            .register(registry);
    this.runs =
        Counter.builder()
            .name("pgvector_ops_job_runs_total")
            .help("Runs ended, per job, kind, target and outcome")
            .labelNames("job", "kind", "target", "outcome")
            .register(registry);
    this.cpu =
        Counter.builder()
            .name("pgvector_ops_job_run_cpu_seconds_total")
            .help("CPU time the daemon spent in runs (the run's thread), per kind")
            .labelNames("kind")
            .register(registry);
    this.waited =
        Counter.builder()
            .name("pgvector_ops_server_slot_wait_seconds_total")
            .help(
                "Time runs waited for a slot on their server (scheduler.maxConcurrentRunsPerServer)")
            .labelNames("kind")
            .register(registry);
    this.misfires =
        Counter.builder()
            .name("pgvector_ops_schedule_misfires_total")
            .help("Fires that found no free scheduler thread within a minute (then run once, late)")
            .labelNames("job")
            .register(registry);
  }

  @Override
  public void ended(
      String job,
      String kind,
      String target,
      RunStatus status,
      Duration took,
      Duration cpuTime,
      Duration slotWait) {
    duration.labelValues(job, kind, target).observe(took.toNanos() / 1e9);
    runs.labelValues(job, kind, target, status.name()).inc();
    cpu.labelValues(kind).inc(cpuTime.toNanos() / 1e9);
    waited.labelValues(kind).inc(slotWait.toNanos() / 1e9);
  }

  @Override
  public void misfired(String job) {
    misfires.labelValues(job).inc();
  }
}
