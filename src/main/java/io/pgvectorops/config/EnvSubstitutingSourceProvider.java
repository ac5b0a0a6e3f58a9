package io.pgvectorops.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes ${VAR} (and ${VAR:-default}) from the environment. Unlike Dropwizard's strict
 * substitutor, a missing variable is reported with the file, line and key that refer to it.
 */
public class EnvSubstitutingSourceProvider implements ConfigurationSourceProvider {
  private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

  /**
   * A secret's key with a value written out: not a ${VAR} reference, and not empty ({@code ""},
   * {@code ''}, {@code ~}, {@code null}: nothing to protect, and validation names it if a value is
   * required).
   */
  private static final Pattern CLEAR_PASSWORD =
      Pattern.compile(
          "^\\s*-?\\s*(password|token|secret)\\s*:\\s*"
              + "(?![\"']?\\$\\{)(?!(\"\"|''|~|null)\\s*(#.*)?$)\\S.*$");

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EnvSubstitutingSourceProvider.class);
  private static final Pattern KEY = Pattern.compile("^\\s*-?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*:");

  private final ConfigurationSourceProvider delegate;
  private final Function<String, String> env;

  public EnvSubstitutingSourceProvider(ConfigurationSourceProvider delegate) {
    this(delegate, System::getenv);
  }

  EnvSubstitutingSourceProvider(
      ConfigurationSourceProvider delegate, Function<String, String> env) {
    this.delegate = delegate;
    this.env = env;
  }

  /** The key of a line that writes a secret out, or null. */
  static String clearSecretKey(String line) {
    Matcher clear = CLEAR_PASSWORD.matcher(line);
    return clear.matches() ? clear.group(1) : null;
  }

  @Override
  public InputStream open(String path) throws IOException {
    String text;
    try (InputStream in = delegate.open(path)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].stripLeading().startsWith("#")) {
        continue;
      }
      String clear = clearSecretKey(lines[i]);
      if (clear != null) {
        LOG.warn(
            "{}: line {}: key '{}' holds a secret in clear text; prefer ${ENV} or a file (passwordFile)",
            path,
            i + 1,
            clear);
      }
      Matcher m = REF.matcher(lines[i]);
      while (m.find()) {
        if (m.group(2) == null && env.apply(m.group(1)) == null) {
          Matcher key = KEY.matcher(lines[i]);
          String where = key.find() ? ", key '" + key.group(1) + "'" : "";
          throw new ConfigError(
              path
                  + ": line "
                  + (i + 1)
                  + where
                  + ": environment variable "
                  + m.group(1)
                  + " is not set");
        }
      }
    }
    EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(false);
    substitutor.setVariableResolver(key -> env.apply(key));
    return new ByteArrayInputStream(substitutor.replace(text).getBytes(StandardCharsets.UTF_8));
  }
}
