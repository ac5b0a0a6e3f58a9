package io.pgvectorops.config;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.ApiConfig.Role;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's tokens as the daemon uses them, and who may read: resolved from {@code api.*} with the
 * rules an operator's mistake breaks named by key.
 */
public final class ApiAccess {
  /** The name the single {@code api.token} of earlier versions goes by in the audit trail. */
  public static final String LEGACY_TOKEN_NAME = "api.token";

  /** A token's secret with the name and role it stands for. Never logged. */
  public record Token(String name, String secret, Role role) {
    @Override
    public String toString() {
      return name + " (" + role + ")";
    }
  }

  private ApiAccess() {}

  /** The tokens in configuration order, the single {@code api.token} first when set. */
  public static List<Token> tokens(ApiConfig api, String source) {
    List<String> errors = new ArrayList<>();
    List<Token> tokens = tokens(api, source, errors);
    if (!errors.isEmpty()) {
      throw YamlErrors.ofChecks(source, errors);
    }
    return tokens;
  }

  static List<Token> tokens(ApiConfig api, String source, List<String> errors) {
    List<Token> tokens = new ArrayList<>();
    if (api.enabled()) {
      tokens.add(new Token(LEGACY_TOKEN_NAME, api.token, Role.operator));
    }
    Set<String> names = new HashSet<>(Set.of(LEGACY_TOKEN_NAME));
    for (int i = 0; i < api.tokens.size(); i++) {
      ApiConfig.NamedToken t = api.tokens.get(i);
      String key = "api.tokens[" + i + "]" + (t.name == null ? "" : " (" + t.name + ")");
      if (t.name == null || t.name.isBlank()) {
        errors.add(key + ".name: is missing (it is what the audit trail records)");
      } else if (!names.add(t.name)) {
        errors.add(key + ".name: is used by another token");
      }
      if (t.role == null) {
        errors.add(key + ".role: is missing (viewer, operator or admin)");
      }
      if ((t.token == null || t.token.isEmpty()) == (t.tokenFile == null)) {
        errors.add(key + ": set exactly one of token and tokenFile");
        continue;
      }
      String secret;
      try {
        secret = Credentials.secret(t.token, t.tokenFile, source, key + ".tokenFile");
      } catch (ConfigError e) {
        errors.add(e.getMessage().substring(source.length() + 2));
        continue;
      }
      if (secret.length() < ApiConfig.MIN_TOKEN_LENGTH) {
        errors.add(key + (t.tokenFile == null ? ".token: " : ".tokenFile: ") + tooShort());
      } else if (t.name != null && t.role != null) {
        tokens.add(new Token(t.name, secret, t.role));
      }
    }
    return tokens;
  }

  static String tooShort() {
    return "must be at least "
        + ApiConfig.MIN_TOKEN_LENGTH
        + " characters (generate one with: openssl rand -hex 24)";
  }

  /** {@code api.readAccess}, or the default it stands for where the operator left it unset. */
  public static ReadAccess readAccess(OpsConfiguration c) {
    return c.api.readAccess != null ? c.api.readAccess : ReadAccess.open;
  }

  /** For the start-up and reload lines: token names and roles, never a secret. */
  static String describe(OpsConfiguration c) {
    return describe(c, tokens(c.api, "configuration", new ArrayList<>()));
  }

  /** The same for tokens already read. */
  public static String describe(OpsConfiguration c, List<Token> tokens) {
    return "readAccess="
        + readAccess(c)
        + (c.api.readAccess == null ? " (default)" : "")
        + ", tokens "
        + (tokens.isEmpty() ? "none (mutating endpoints disabled)" : tokens.toString());
  }

  static void check(OpsConfiguration c, String source, List<String> errors) {
    List<Token> tokens = tokens(c.api, source, errors);
    if (c.api.readAccess == null) {
      String routable = routableBind(c.getServerFactory());
      if (routable != null) {
        errors.add(
            "api.readAccess: is unset while the application connector listens on "
                + routable
                + ", where anyone who reaches the port would read every index, finding and error;"
                + " set api.readAccess: token (with api.tokens) or, to keep reads open on purpose,"
                + " api.readAccess: open");
      }
    } else if (c.api.readAccess == ReadAccess.token && tokens.isEmpty() && errors.isEmpty()) {
      errors.add(
          "api.readAccess: is token but no token is configured (add api.tokens with a viewer)");
    }
  }

  /** The first application connector's address that is not loopback, or null when all are. */
  static String routableBind(ServerFactory server) {
    List<ConnectorFactory> connectors =
        server instanceof DefaultServerFactory d
            ? d.getApplicationConnectors()
            : server instanceof SimpleServerFactory s ? List.of(s.getConnector()) : List.of();
    for (ConnectorFactory f : connectors) {
      if (f instanceof HttpConnectorFactory http) {
        String host = http.getBindHost();
        if (host == null || host.isBlank()) {
          return "every address (no bindHost)";
        }
        if (!loopback(host)) {
          return host;
        }
      }
    }
    return null;
  }

  private static boolean loopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
