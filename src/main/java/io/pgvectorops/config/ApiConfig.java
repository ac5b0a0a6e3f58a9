package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;

public class ApiConfig {
  static final int MIN_TOKEN_LENGTH = 16;

  /** Bearer token for mutating endpoints; unset disables them (403). */
  @JsonProperty public String token;
}
