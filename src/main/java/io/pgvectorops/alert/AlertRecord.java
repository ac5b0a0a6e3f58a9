package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.findings.Finding.Severity;
import java.time.Duration;
import java.time.Instant;

/** An alert as stored: a finding of severity warning or critical that fired. */
public record AlertRecord(
    long id,
    String target,
    String object,
    String kind,
    String job,
    Severity severity,
    AlertState state,
    String message,
    JsonNode metrics,
    Instant startedAt,
    Instant lastSeenAt,
    Instant clearSince,
    Instant resolvedAt,
    Instant lastNotifiedAt,
    Severity notifiedSeverity) {
  /**
   * When this alert resolves if its finding is gone (its keepFiringFor ends), or null for one whose
   * finding is still there or that is resolved already.
   */
  public Instant resolvesAt(Duration keepFiringFor) {
    return state == AlertState.firing && clearSince != null ? clearSince.plus(keepFiringFor) : null;
  }

  /** The same alert, resolved at {@code at}. */
  AlertRecord resolvedAt(Instant at) {
    return new AlertRecord(
        id,
        target,
        object,
        kind,
        job,
        severity,
        AlertState.resolved,
        message,
        metrics,
        startedAt,
        lastSeenAt,
        clearSince,
        at,
        lastNotifiedAt,
        notifiedSeverity);
  }
}
