package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

public class ApiConfig {
  static final int MIN_TOKEN_LENGTH = 16;

  /** Who may read the API and the dashboard's data without a token. */
  public enum ReadAccess {
    /** Anyone who reaches the port reads; mutating calls still need a token. */
    open,
    /** Every /api call needs a token (a viewer's is enough to read). */
    token
  }

  /** What a named token may do; each role may do what the ones before it may. */
  public enum Role {
    viewer,
    operator,
    admin;

    public boolean includes(Role other) {
      return compareTo(other) >= 0;
    }
  }

  /** One named token: {@code api.tokens[i]}. */
  public static class NamedToken {
    @JsonProperty public String name;
    @JsonProperty public String token;

    /** A file holding the token (a bare name is looked up in systemd's credentials directory). */
    @JsonProperty public String tokenFile;

    @JsonProperty public Role role;
  }

  /**
   * The single bearer token of earlier versions: an operator token named {@code api.token}. Unset
   * or empty: no such token.
   */
  @JsonProperty public String token;

  @JsonProperty public List<NamedToken> tokens = new ArrayList<>();

  /** Unset: open while every application connector listens on loopback, else start is refused. */
  @JsonProperty public ReadAccess readAccess;

  /** An empty token (from an unset ${VAR:-}) means no token, never "the empty token". */
  public boolean enabled() {
    return token != null && !token.isEmpty();
  }
}
