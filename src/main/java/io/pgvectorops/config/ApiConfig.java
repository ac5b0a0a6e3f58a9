package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;

public class ApiConfig {
  static final int MIN_TOKEN_LENGTH = 16;

  /** Bearer token for mutating endpoints; unset disables them (403). */
  @JsonProperty public String token;

  @ValidationMethod(message = "token must be at least 16 characters (generate one with: openssl rand -hex 24)")
  public boolean isTokenLongEnough() {
    return token == null || token.length() >= MIN_TOKEN_LENGTH;
  }
}
