package io.pgvectorops.architecture.crosskind.jobs.recall;

/** A kind's store, in its kind's package. */
public class RecallStore {
  public double latest() {
    return 1;
  }
}
