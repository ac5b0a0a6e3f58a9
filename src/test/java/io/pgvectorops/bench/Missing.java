package io.pgvectorops.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures a benchmark could not take. A benchmark prints its table, then ends through {@link
 * #exit}: status 0 only when every figure it promises was measured, so a script (or a reader of the
 * docs) never mistakes a partial run for a result.
 */
final class Missing {
  private final List<String> what = new ArrayList<>();

  /** Records {@code figure} as missing unless {@code measured}. */
  Missing unless(boolean measured, String figure) {
    if (!measured) {
      what.add(figure);
    }
    return this;
  }

  /** Exits 0, or prints what is missing and exits 1. */
  void exit() {
    if (what.isEmpty()) {
      System.exit(0);
    }
    System.out.println("MISSING (exit 1): " + String.join("; ", what));
    System.exit(1);
  }

  /**
   * The run a figure rests on, when it succeeded; otherwise says which run did not and exits 1 at
   * once, before any figure that rests on it is printed.
   */
  static io.pgvectorops.scheduler.RunOutcome succeeded(
      String what, io.pgvectorops.scheduler.RunOutcome o) {
    if (o.runId() != null && o.status() == io.pgvectorops.jobs.RunStatus.succeeded) {
      return o;
    }
    System.out.println(
        "MISSING (exit 1): "
            + what
            + ": "
            + (o.runId() == null ? "not started" : "run " + o.runId() + " ended " + o.status())
            + (o.error() == null ? "" : ": " + o.error()));
    System.out.flush();
    System.exit(1);
    throw new IllegalStateException("exited");
  }
}
