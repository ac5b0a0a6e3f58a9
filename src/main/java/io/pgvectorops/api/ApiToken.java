package io.pgvectorops.api;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Guards mutating endpoints with the configured bearer token. */
public class ApiToken {
  private final byte[] token;

  public ApiToken(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether mutating endpoints are enabled at all (without a token the API is read-only). */
  public boolean configured() {
    return token != null;
  }

  /**
   * @param authorization the Authorization header, may be null
   */
  public void require(String authorization) {
    if (token == null) {
      throw new ForbiddenException(
          "mutating endpoints are disabled: set api.token in the configuration");
    }
    String prefix = "Bearer ";
    byte[] given =
        authorization != null && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
            ? authorization.substring(prefix.length()).strip().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    // constant-time: the comparison does not reveal how much of a guess was right
    if (!MessageDigest.isEqual(token, given)) {
      throw new NotAuthorizedException(
          "a valid bearer token is required (Authorization: Bearer <api.token>)",
          "Bearer realm=\"pgvector-ops\"");
    }
  }
}
