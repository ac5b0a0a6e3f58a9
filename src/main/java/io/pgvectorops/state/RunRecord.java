package io.pgvectorops.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One run of a job on a target, as stored. */
public record RunRecord(
    long id,
    String job,
    String kind,
    String target,
    String trigger,
    boolean dryRun,
    Instant scheduledFor,
    Instant startedAt,
    Instant endedAt,
    String status,
    JsonNode summary,
    String error,
    String instanceId,
    JsonNode progress) {

  public Long durationMillis() {
    return endedAt == null ? null : endedAt.toEpochMilli() - startedAt.toEpochMilli();
  }
}
