package io.pgvectorops.cli;

/** Wrong command-line usage (unknown job, target not in the job): exit code 2. */
public class UsageError extends RuntimeException {
  public UsageError(String message) {
    super(message);
  }
}
