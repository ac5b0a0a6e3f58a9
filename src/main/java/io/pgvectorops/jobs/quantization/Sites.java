package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.JobContext;

/**
 * Where a trial reads and where it writes: the application's server (the index, the sample's rows,
 * the query vectors) and the server its scratch schema is on. They are one unless the job names a
 * lab target; then the application's server is only read.
 *
 * @param source the run's own context, on the job's target
 * @param scratch a context on the lab target with a session of its own, or {@code source}
 */
record Sites(JobContext source, JobContext scratch) {
  static Sites one(JobContext ctx) {
    return new Sites(ctx, ctx);
  }

  boolean lab() {
    return scratch != source;
  }

  /** Where the scratch schema is, for messages: "" on the job's own target. */
  String onLab() {
    return lab() ? " on the lab target " + scratch.target().name() : "";
  }
}
