package io.pgvectorops.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

public record FindingRecord(
    long id,
    String job,
    String target,
    String object,
    String kind,
    String severity,
    String message,
    JsonNode metrics,
    Instant firstSeen,
    Instant lastSeen,
    Instant resolvedAt,
    Long firstRunId,
    Long lastRunId) {}
