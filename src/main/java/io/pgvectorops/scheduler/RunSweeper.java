package io.pgvectorops.scheduler;

import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.common.Threads;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.Liveness;
import io.pgvectorops.state.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's liveness lock held and marks runs of dead processes (any instance, or a
 * killed `run` command) as interrupted: once at start, then periodically.
 */
public class RunSweeper implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(RunSweeper.class);
  private final Liveness liveness;
  private final RunStore runs;
  private final Clock clock;
  private final Duration every;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("run-sweeper"));

  /** How often old runs and findings are pruned, and how many rows one statement deletes. */
  static final Duration PRUNE_EVERY = Duration.ofHours(1);

  static final int PRUNE_BATCH = 5000;

  private final Duration keepRuns;
  private final List<String> keptKinds;
  private Instant lastPrune = Instant.EPOCH;

  /**
   * @param keepRuns how long runs and resolved findings are kept (state.runDays)
   * @param keptKinds the kinds whose runs are kept however old (JobKind.keepsRuns)
   */
  public RunSweeper(
      Liveness liveness,
      RunStore runs,
      Clock clock,
      Duration every,
      Duration keepRuns,
      List<String> keptKinds) {
    this.keptKinds = List.copyOf(keptKinds);
    this.liveness = liveness;
    this.runs = runs;
    this.clock = clock;
    this.every = every;
    this.keepRuns = keepRuns;
  }

  /** Hourly: runs and resolved findings past the retention. */
  void prune() {
    Instant now = clock.instant();
    if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
      return;
    }
    lastPrune = now;
    RunStore.Pruned p = runs.prune(now.minus(keepRuns), PRUNE_BATCH, keptKinds);
    if (p.runs() + p.findings() > 0) {
      LOG.info(
          "pruned {} run(s) and {} resolved finding(s) older than {} days",
          p.runs(),
          p.findings(),
          keepRuns.toDays());
    }
  }

  @Override
  public void start() {
    sweep();
    timer.scheduleWithFixedDelay(
        this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  void sweep() {
    try {
      liveness.ensureHeld();
      int n = runs.interruptOrphaned(clock.instant());
      if (n > 0) {
        LOG.warn("marked {} run(s) of stopped processes as interrupted", n);
      }
      prune();
    } catch (DbException e) {
      LOG.warn("interrupted-run sweep: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("interrupted-run sweep failed", e);
    }
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    liveness.close();
  }
}
