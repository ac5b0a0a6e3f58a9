package io.pgvectorops.cli;

/** A one-shot run that ended failed or interrupted: exit code 1, the JSON already printed. */
public class RunFailed extends RuntimeException {
  public RunFailed(String message) {
    super(message);
  }
}
