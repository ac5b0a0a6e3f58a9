package io.pgvectorops.wiring;

import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.common.Threads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the target files and re-lists the {@code databases: all} servers every {@code
 * discovery.interval}, so a new database or file joins the schedule without a reload.
 */
public final class FleetWatcher implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(FleetWatcher.class);

  private final Reloader reloader;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.named("fleet"));

  public FleetWatcher(Reloader reloader, Duration interval) {
    this.reloader = reloader;
    this.interval = interval;
  }

  @Override
  public void start() {
    timer.scheduleWithFixedDelay(
        this::relist, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void relist() {
    try {
      reloader.relist();
    } catch (RuntimeException e) {
      // the next interval tries again; the running targets stay
      LOG.error("targets not re-listed", e);
    }
  }

  @Override
  public void stop() {
    timer.shutdownNow();
  }
}
