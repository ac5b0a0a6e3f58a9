package io.pgvectorops.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a password given inline (possibly from ${ENV}) or in a file (systemd credentials). */
public final class Credentials {
  private Credentials() {}

  /**
   * @param key the config key, e.g. {@code targets[0]}, used in error messages
   * @return the password, or null when neither is set (trust/peer/.pgpass authentication)
   */
  public static String password(String password, String passwordFile, String source, String key) {
    if (passwordFile == null) {
      return password;
    }
    Path path = Path.of(passwordFile);
    // systemd's LoadCredential= puts files in $CREDENTIALS_DIRECTORY; a bare name refers there.
    String credDir = System.getenv("CREDENTIALS_DIRECTORY");
    if (!path.isAbsolute() && credDir != null && Files.isReadable(Path.of(credDir).resolve(path))) {
      path = Path.of(credDir).resolve(path);
    }
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      return text.strip();
    } catch (IOException e) {
      throw new ConfigError(
          source
              + ": "
              + key
              + ".passwordFile: cannot read "
              + path
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }
}
