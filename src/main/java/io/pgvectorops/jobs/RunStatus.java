package io.pgvectorops.jobs;

public enum RunStatus {
  running,
  succeeded,
  failed,
  skipped,
  interrupted
}
