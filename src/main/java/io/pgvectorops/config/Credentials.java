package io.pgvectorops.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Resolves a password given inline (possibly from ${ENV}) or in a file (systemd credentials). */
public final class Credentials {
  private Credentials() {}

  /**
   * @param key the config key, e.g. {@code targets[0]}, used in error messages
   * @return the password, or null when neither is set (trust/peer/.pgpass authentication)
   */
  public static String password(String password, String passwordFile, String source, String key) {
    return secret(password, passwordFile, source, key + ".passwordFile");
  }

  /**
   * A file setting's path: systemd's LoadCredential= puts files in $CREDENTIALS_DIRECTORY, and a
   * relative name found there refers there; otherwise it is taken as given.
   */
  public static Path path(String file) {
    Path path = Path.of(file);
    String credDir = System.getenv("CREDENTIALS_DIRECTORY");
    if (!path.isAbsolute() && credDir != null && Files.isReadable(Path.of(credDir).resolve(path))) {
      return Path.of(credDir).resolve(path);
    }
    return path;
  }

  /**
   * @param fileKey the key of the file setting, e.g. {@code api.tokens[0].tokenFile}
   * @return the inline value, or the file's content without surrounding white space
   */
  public static String secret(String value, String file, String source, String fileKey) {
    if (file == null) {
      return value;
    }
    Path path = path(file);
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      return text.strip();
    } catch (IOException e) {
      throw YamlErrors.ofChecks(
          source,
          List.of(fileKey + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")"));
    }
  }
}
