package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One alert inside a notification (webhook payload version 1).
 *
 * @param transition firing (new), repeat (still firing after repeatInterval), severity (changed
 *     severity), resolved
 * @param labels target, object, kind, job, severity: what identifies the alert
 */
public record AlertEntry(
    long alertId,
    AlertState status,
    Transition transition,
    Map<String, String> labels,
    String message,
    JsonNode metrics,
    Instant startsAt,
    Instant resolvedAt,
    String suggestedAction) {

  public String label(String name) {
    return labels.get(name);
  }
}
