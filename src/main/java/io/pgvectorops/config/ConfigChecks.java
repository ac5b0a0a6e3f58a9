package io.pgvectorops.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rules across keys that Bean Validation cannot word well: each message names the file and the
 * key with its index and target name.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  public static void check(OpsConfiguration c, String file) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < c.targets.size(); i++) {
      TargetConfig t = c.targets.get(i);
      String key = "targets[" + i + "] (" + t.name + ")";
      if (t.password != null && t.passwordFile != null) {
        errors.add(key + ": sets both password and passwordFile; use one");
      }
      if (t.url != null && t.url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
        errors.add(key + ".url: carries a password; use password or passwordFile so it stays out of logs");
      }
      if (t.lockTimeout != null && t.statementTimeout != null
          && t.lockTimeout.toMilliseconds() >= t.statementTimeout.toMilliseconds()) {
        errors.add(key + ".lockTimeout: must be shorter than statementTimeout (" + t.statementTimeout + ")");
      }
    }
    if (c.state.password != null && c.state.passwordFile != null) {
      errors.add("state: sets both password and passwordFile; use one");
    }
    if (c.api.enabled() && c.api.token.length() < ApiConfig.MIN_TOKEN_LENGTH) {
      errors.add("api.token: must be at least " + ApiConfig.MIN_TOKEN_LENGTH
          + " characters (generate one with: openssl rand -hex 24)");
    }
    if (!errors.isEmpty()) {
      throw new ConfigError(file + " has " + (errors.size() == 1 ? "an error" : errors.size() + " errors") + ":\n"
          + String.join("\n", errors));
    }
  }
}
