package io.pgvectorops.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads for the background workers, so thread dumps say what each one is. */
public final class Threads {
  private Threads() {}

  /**
   * Pauses between steps of a job. An interrupt (the daemon stopping) ends the pause early and
   * stays set, so the caller's next stop check sees it.
   *
   * @return false when interrupted
   */
  public static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
