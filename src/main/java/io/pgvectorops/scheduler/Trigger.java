package io.pgvectorops.scheduler;

/**
 * Why a run started. Windows apply to schedule and recovery runs; a person's run is deliberate;
 * startup is the health check each instance runs when it starts, so the status page is current at
 * once.
 */
public enum Trigger {
  schedule,
  recovery,
  manual,
  cli,
  startup;

  boolean honoursWindow() {
    return this == schedule || this == recovery;
  }
}
