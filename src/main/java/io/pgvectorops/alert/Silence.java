package io.pgvectorops.alert;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Mutes matching alerts until {@code endsAt}. Null fields match anything; objectPattern is a glob
 * ({@code *} any run of characters, {@code ?} one character), matched against the whole object.
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
        && (objectPattern == null || glob(objectPattern).matcher(object).matches());
  }

  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      switch (ch) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  public boolean activeAt(Instant t) {
    return expiredAt == null && !startsAt.isAfter(t) && endsAt.isAfter(t);
  }
}
