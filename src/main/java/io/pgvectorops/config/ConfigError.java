package io.pgvectorops.config;

/**
 * An operator's mistake in configuration or job files. Its message names the file, the key and the
 * problem, and is printed without a stack trace.
 */
public class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
