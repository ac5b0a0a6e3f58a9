package io.pgvectorops.sql;

import io.pgvectorops.common.Threads;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether a pool's database could be reached when a connection was last asked of it. A caller that
 * a person or a monitor is waiting on (an API request, a health check: a {@link
 * NetworkTimeout#patience} bound) hears at once that the database is unreachable while that is
 * known, instead of each waiting out the pool's connection timeout (12 s for the state database: a
 * status page that hangs, a monitor's probe that times out instead of reading "unhealthy"). Such a
 * caller, when the last try is {@link #RETRY} old, also starts one try in the background, so the
 * database's return is noticed within about RETRY without anyone waiting on it. Scheduled runs are
 * not held back: they ask the pool and wait as before, and what they find counts too.
 */
final class Reachability {
  /** How long after a failed try the next one may be started for patient callers. */
  static final Duration RETRY = Duration.ofSeconds(2);

  /** Threads for background tries: each waits at most a pool's connection timeout, then ends. */
  static final Executor BACKGROUND =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          Threads.named("reachability-try"));

  private record Failure(Instant at, SQLException cause) {}

  private final Clock clock;
  private final Executor executor;
  private final Runnable tryAgain;
  private final AtomicBoolean trying = new AtomicBoolean();
  private volatile Failure failure;

  /**
   * @param tryAgain asks the pool for a connection (and gives it back), reporting what it found
   *     through {@link #failed} or {@link #reached}
   */
  Reachability(Clock clock, Executor executor, Runnable tryAgain) {
    this.clock = clock;
    this.executor = executor;
    this.tryAgain = tryAgain;
  }

  /**
   * Lets a patient caller ask the pool, unless the database is known unreachable.
   *
   * @throws SQLException the last failure, said to be known rather than tried now
   */
  void admitPatient() throws SQLException {
    Failure f = failure;
    if (f == null) {
      return;
    }
    long ago = Duration.between(f.at(), clock.instant()).toMillis();
    if (ago >= RETRY.toMillis() && trying.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            try {
              tryAgain.run();
            } finally {
              trying.set(false);
            }
          });
    }
    throw new SQLException(
        f.cause().getMessage()
            + " (found "
            + Math.max(0, ago / 1000)
            + " s ago and not tried again for this request; a background try every "
            + RETRY.toSeconds()
            + " s asks until it answers)",
        f.cause().getSQLState(),
        f.cause());
  }

  /** A connection could not be had, for a reason the server or the network gave: unreachable. */
  void failed(SQLException cause) {
    failure = new Failure(clock.instant(), cause);
  }

  /** A connection was had: reachable. */
  void reached() {
    if (failure != null) {
      failure = null;
    }
  }
}
