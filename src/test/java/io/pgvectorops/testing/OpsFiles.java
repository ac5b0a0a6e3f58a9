package io.pgvectorops.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a config.yml and a jobs/ folder into a test's temporary directory. */
public final class OpsFiles {
  private final Path dir;

  public OpsFiles(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir.resolve("jobs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path config() {
    return dir.resolve("config.yml");
  }

  /**
   * A config with the given targets YAML (list items) and extra top-level YAML; ports are free
   * ones.
   */
  public Path writeConfig(String targetsYaml, String extraYaml) {
    return write(
        "config.yml",
        "targets:\n"
            + targetsYaml
            + "\n"
            + extraYaml
            + "\n"
            + "server:\n"
            + "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n"
            + "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n"
            + "  requestLog: {appenders: []}\n"
            + "logging:\n  level: INFO\n  loggers: {org.quartz: WARN, org.flywaydb: WARN, com.zaxxer.hikari: WARN}\n");
  }

  /**
   * Pins the free ports the config asked for (port 0) to these, for a daemon in a child process.
   */
  public void pinPorts(int application, int admin) {
    try {
      Files.writeString(
          config(),
          Files.readString(config())
              .replaceFirst("port: 0", "port: " + application)
              .replaceFirst("port: 0", "port: " + admin));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pins both ports to free ones; the application's port. */
  public int pinFreePorts() {
    int application = freePort();
    pinPorts(application, freePort());
    return application;
  }

  public static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String target(String name, TestPostgres.Database db) {
    return "  - name: "
        + name
        + "\n    url: "
        + db.url()
        + "\n    user: "
        + db.user()
        + "\n"
        + (db.password() == null ? "" : "    password: " + db.password() + "\n");
  }

  public static String deadTarget(String name) {
    return "  - name: "
        + name
        + "\n    url: jdbc:postgresql://127.0.0.1:"
        + TestPostgres.closedPort()
        + "/nothing\n    user: postgres\n    connectTimeout: 2s\n";
  }

  public static String state(TestPostgres.Database db, String schema) {
    return "state:\n  url: "
        + db.url()
        + "\n  user: "
        + db.user()
        + "\n"
        + (db.password() == null ? "" : "  password: " + db.password() + "\n")
        + "  schema: "
        + schema
        + "\n";
  }

  public Path job(String file, String yaml) {
    return write("jobs/" + file, yaml);
  }

  public Path write(String relative, String text) {
    try {
      Path p = dir.resolve(relative);
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
