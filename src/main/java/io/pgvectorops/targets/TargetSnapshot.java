package io.pgvectorops.targets;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** What the latest health run saw of a target. */
public record TargetSnapshot(
    String target,
    Instant observedAt,
    boolean reachable,
    String error,
    String serverVersion,
    Integer serverVersionNum,
    Boolean inRecovery,
    String pgvectorVersion,
    String pgvectorAvailable,
    JsonNode extensions,
    Instant lastReachableAt) {}
