package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An alert as stored: a finding of severity warning or critical that fired. */
public record AlertRecord(
    long id,
    String target,
    String object,
    String kind,
    String job,
    String severity,
    String state,
    String message,
    JsonNode metrics,
    Instant startedAt,
    Instant lastSeenAt,
    Instant clearSince,
    Instant resolvedAt,
    Instant lastNotifiedAt,
    String notifiedSeverity) {}
