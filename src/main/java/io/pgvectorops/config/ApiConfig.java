package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;

public class ApiConfig {
  static final int MIN_TOKEN_LENGTH = 16;

  /** Bearer token for mutating endpoints; unset or empty disables them (403). */
  @JsonProperty public String token;

  /** An empty token (from an unset ${VAR:-}) means no token, never "the empty token". */
  public boolean enabled() {
    return token != null && !token.isEmpty();
  }
}
