package io.pgvectorops.api.access;

import io.pgvectorops.config.ApiAccess.Token;
import io.pgvectorops.config.ApiConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The configured tokens, matched in constant time: every token is compared, by the SHA-256 of both
 * sides so lengths do not show, and no comparison stops early.
 */
public final class TokenTable {
  private record Entry(byte[] digest, Caller caller) {}

  private final List<Entry> entries;

  public TokenTable(List<Token> tokens) {
    this.entries =
        tokens.stream()
            .map(t -> new Entry(digest(t.secret()), new Caller(t.name(), t.role())))
            .toList();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Whether some token may do what {@code role} may. */
  public boolean anyWith(ApiConfig.Role role) {
    return entries.stream().anyMatch(e -> e.caller().role().includes(role));
  }

  /**
   * @param presented the secret after "Bearer "
   */
  public Optional<Caller> match(String presented) {
    byte[] given = digest(presented);
    Caller found = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(e.digest(), given) & found == null) {
        found = e.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
