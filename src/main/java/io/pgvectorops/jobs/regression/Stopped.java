package io.pgvectorops.jobs.regression;

/** A measurement cut short: the daemon is shutting down or the run reached its maxRuntime. */
final class Stopped extends RuntimeException {
  Stopped() {
    super("stopped: the daemon is shutting down or the run reached maxRuntime", null, false, false);
  }
}
