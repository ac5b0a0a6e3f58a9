package io.pgvectorops.scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most N of this instance's runs at a time on one server, whichever of its databases they are
 * on; the others wait their turn in the order they came (scheduler.maxConcurrentRunsPerServer).
 */
final class ServerSlots {
  /** A slot held; closing gives it back. */
  interface Slot extends AutoCloseable {
    /** How long the run waited for it. */
    Duration waited();

    @Override
    void close();
  }

  private final int perServer;
  private final Map<String, Semaphore> byServer = new ConcurrentHashMap<>();

  /**
   * @param perServer slots per server; 0 for no limit
   */
  ServerSlots(int perServer) {
    this.perServer = perServer;
  }

  /** Waits for a slot on {@code server} (host:port as the target's url names it). */
  Slot acquire(String server) throws InterruptedException {
    if (perServer <= 0) {
      return slot(null, Duration.ZERO);
    }
    Semaphore s = byServer.computeIfAbsent(server, k -> new Semaphore(perServer, true));
    long start = System.nanoTime();
    s.acquire();
    return slot(s, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Runs waiting for a slot on {@code server} now. */
  int waiting(String server) {
    Semaphore s = byServer.get(server);
    return s == null ? 0 : s.getQueueLength();
  }

  private static Slot slot(Semaphore s, Duration waited) {
    return new Slot() {
      private boolean closed;

      @Override
      public Duration waited() {
        return waited;
      }

      @Override
      public synchronized void close() {
        if (!closed && s != null) {
          s.release();
        }
        closed = true;
      }
    };
  }
}
