package io.pgvectorops.alert;

import io.pgvectorops.findings.Finding.Severity;
import java.time.Instant;
import java.util.List;

/**
 * What a notification says, stored in the outbox and rendered by each channel. This is also the
 * body of a {@code format: json} webhook (version "1", documented in the README).
 */
public record NotificationPayload(
    String version,
    String idempotencyKey,
    AlertState status,
    String job,
    String target,
    Long runId,
    Instant createdAt,
    List<AlertEntry> alerts) {

  public static final String VERSION = "1";

  public long count(Severity severity) {
    return alerts.stream()
        .filter(a -> a.status() == AlertState.firing && severity.name().equals(a.label("severity")))
        .count();
  }

  /** One line for a subject or a chat message. */
  public String headline() {
    long resolved = alerts.stream().filter(a -> a.status() == AlertState.resolved).count();
    long critical = count(Severity.critical);
    long warning = count(Severity.warning);
    StringBuilder sb = new StringBuilder(status.name().toUpperCase()).append(": ");
    if (critical > 0) {
      sb.append(critical).append(" critical, ");
    }
    if (warning > 0) {
      sb.append(warning).append(" warning, ");
    }
    if (resolved > 0) {
      sb.append(resolved).append(" resolved, ");
    }
    sb.setLength(sb.length() - 2);
    return sb.append(" on target ")
        .append(target)
        .append(" (job ")
        .append(job)
        .append(")")
        .toString();
  }
}
