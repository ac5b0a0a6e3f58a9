package io.pgvectorops.testing;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.cli.ServerCommand;
import io.pgvectorops.config.OpsConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;

/** A daemon in the test's own JVM, on a database and a folder of its own. */
public final class InProcess {
  /** The test's database and the folder holding its config.yml and jobs/. */
  public record Setup(TestPostgres.Database db, Path dir) {}

  private InProcess() {}

  /**
   * A new database named after {@code name}, and a config with it as target "main" and as the state
   * database (schema {@code name_state}), then {@code extraYaml}, and a health job that never fires
   * on its own. For a static initializer: failures become an {@link ExceptionInInitializerError}.
   */
  public static Setup setup(String name, String extraYaml) {
    return setup(name, "", extraYaml);
  }

  /** As {@link #setup(String, String)}, with more targets (YAML list items) after "main". */
  public static Setup setup(String name, String moreTargets, String extraYaml) {
    try {
      TestPostgres.Database db = TestPostgres.newDatabase(name);
      Path dir = Files.createTempDirectory(name + "-test");
      OpsFiles f = new OpsFiles(dir);
      f.writeConfig(
          OpsFiles.target("main", db) + moreTargets,
          OpsFiles.state(db, name + "_state") + extraYaml);
      f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
      return new Setup(db, dir);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The daemon on the folder's config.yml and jobs/, started by our server command (it remembers
   * the file, which a reload reads again).
   */
  public static DropwizardAppExtension<OpsConfiguration> daemon(Path dir) {
    return new DropwizardAppExtension<>(
        PgvectorOpsApplication.class,
        dir.resolve("config.yml").toString(),
        (String) null,
        ServerCommand::new,
        ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
  }
}
