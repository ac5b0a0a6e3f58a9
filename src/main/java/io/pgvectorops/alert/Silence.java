package io.pgvectorops.alert;

import io.pgvectorops.common.Glob;
import java.time.Instant;

/**
 * Mutes matching alerts until {@code endsAt}. Null fields match anything; objectPattern is a glob
 * ({@code *} any run of characters, {@code ?} one character), matched against the whole object in
 * at most pattern × object steps ({@link Glob}).
 */
public record Silence(
    long id,
    String target,
    String kind,
    String objectPattern,
    Instant startsAt,
    Instant endsAt,
    String comment,
    Instant createdAt,
    Instant expiredAt) {

  public boolean matches(String alertTarget, String object, String alertKind) {
    return (target == null || target.equals(alertTarget))
        && (kind == null || kind.equals(alertKind))
        && (objectPattern == null || Glob.matches(objectPattern, object));
  }

  public boolean activeAt(Instant t) {
    return expiredAt == null && !startsAt.isAfter(t) && endsAt.isAfter(t);
  }
}
