package io.pgvectorops.architecture.crosskind.jobs.rebuild;

import io.pgvectorops.architecture.crosskind.jobs.recall.RecallStore;

/** A kind reading another kind's store directly, not through a declared contract: refused. */
public class Rebuild {
  RecallStore recall;
}
