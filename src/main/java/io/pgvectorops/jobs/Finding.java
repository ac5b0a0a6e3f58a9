package io.pgvectorops.jobs;

import java.util.Map;

/**
 * Something a run observed about an object on its target. Identity is (object, kind): the same pair
 * seen by the next run keeps the finding open; not seen by the next complete run resolves it.
 */
public record Finding(
    String object, String kind, Severity severity, String message, Map<String, Object> metrics) {
  public enum Severity {
    info,
    warning,
    critical
  }

  public static Finding critical(
      String object, String kind, String message, Map<String, Object> metrics) {
    return new Finding(object, kind, Severity.critical, message, metrics);
  }

  public static Finding warning(
      String object, String kind, String message, Map<String, Object> metrics) {
    return new Finding(object, kind, Severity.warning, message, metrics);
  }

  public static Finding info(
      String object, String kind, String message, Map<String, Object> metrics) {
    return new Finding(object, kind, Severity.info, message, metrics);
  }
}
