package io.pgvectorops.findings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something a run observed about an object on its target. Identity is (object, kind): the same pair
 * seen by the next run keeps the finding open; not seen by the next complete run resolves it. Made
 * through a declared {@link FindingKind}, so no kind is a free string.
 *
 * @param metrics the figures behind the message, free-form per kind (stored and served as JSON)
 */
public record Finding(
    String object, String kind, Severity severity, String message, Map<String, Object> metrics) {
  public enum Severity {
    info,
    warning,
    critical
  }

  public static Finding of(
      String object, FindingKind kind, Severity severity, String message, Map<String, ?> metrics) {
    if (!kind.allows(severity)) {
      throw new IllegalArgumentException(
          kind.name()
              + " is declared "
              + kind.lowest()
              + ".."
              + kind.highest()
              + ", not "
              + severity);
    }
    return new Finding(
        object,
        kind.name(),
        severity,
        message,
        Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
  }

  public static Finding critical(
      String object, FindingKind kind, String message, Map<String, ?> metrics) {
    return of(object, kind, Severity.critical, message, metrics);
  }

  public static Finding warning(
      String object, FindingKind kind, String message, Map<String, ?> metrics) {
    return of(object, kind, Severity.warning, message, metrics);
  }

  public static Finding info(
      String object, FindingKind kind, String message, Map<String, ?> metrics) {
    return of(object, kind, Severity.info, message, metrics);
  }
}
