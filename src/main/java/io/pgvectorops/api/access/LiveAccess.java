package io.pgvectorops.api.access;

import io.pgvectorops.config.ApiAccess;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.OpsConfiguration;
import java.util.List;

/**
 * The tokens and read access in force: resolved at start, replaced whole by a reload, so a token
 * rotated in the file (or in its tokenFile) takes effect without a restart and a request sees
 * either the old set or the new one, never a mix.
 */
public final class LiveAccess {
  /**
   * What one request is judged by.
   *
   * @param description token names and roles and the read access, for the log; never a secret
   */
  public record Access(TokenTable tokens, ReadAccess readAccess, String description) {}

  private volatile Access current;

  public LiveAccess(Access first) {
    this.current = first;
  }

  /**
   * Reads {@code api.*} and the token files it names.
   *
   * @throws ConfigError naming the key, for an operator's mistake
   */
  public static Access resolve(OpsConfiguration c) {
    List<ApiAccess.Token> tokens = ApiAccess.tokens(c.api, c.sourceFile);
    return new Access(
        new TokenTable(tokens), ApiAccess.readAccess(c), ApiAccess.describe(c, tokens));
  }

  public Access current() {
    return current;
  }

  public void replace(Access next) {
    current = next;
  }
}
