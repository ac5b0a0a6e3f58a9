package io.pgvectorops.testing;

import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The daemon's components on a test database, built the way the commands build them. */
public final class Stack {
  private Stack() {}

  public static OpsConfiguration config(TestPostgres.Database db, String schema, Path jobsDir)
      throws Exception {
    OpsConfiguration c = new OpsConfiguration();
    TargetConfig t = new TargetConfig();
    t.name = "main";
    t.url = db.url();
    t.user = db.user();
    t.password = db.password();
    t.statementTimeout = Duration.seconds(30);
    t.lockTimeout = Duration.seconds(2);
    t.connectTimeout = Duration.seconds(3);
    c.targets.add(t);
    c.state.schema = schema;
    Files.createDirectories(jobsDir);
    c.jobsDirectory = jobsDir.toString();
    return c;
  }

  /**
   * A test database's components, built as the commands build them, with these job files (file name
   * to YAML) in a fresh jobs folder under {@code dir}, and this process's liveness lock held.
   */
  public static Components withJobs(
      TestPostgres.Database db, String schema, Path dir, Map<String, String> jobFiles)
      throws Exception {
    Path jobs = dir.resolve("jobs");
    Files.createDirectories(jobs);
    for (Map.Entry<String, String> f : jobFiles.entrySet()) {
      Files.writeString(jobs.resolve(f.getKey()), f.getValue());
    }
    Components c = open(config(db, schema, jobs), Clock.systemUTC());
    c.liveness.ensureHeld();
    return c;
  }

  /** A manual run of a job on target "main", now, as "run now" starts one. */
  public static io.pgvectorops.scheduler.RunOutcome runNow(Components c, String job) {
    return c.runner.run(
        c.catalog.get(job).orElseThrow(),
        c.targets.get("main").orElseThrow(),
        io.pgvectorops.scheduler.Trigger.manual,
        null,
        false);
  }

  /** A job file shipped in the project's jobs/ folder, unchanged. */
  public static String shippedJob(String file) throws java.io.IOException {
    return Files.readString(Path.of("jobs", file));
  }

  public static Components open(OpsConfiguration config, Clock clock) {
    return Components.open(
        config,
        Jackson.newObjectMapper(),
        "test-" + ProcessHandle.current().pid(),
        clock,
        new io.prometheus.metrics.model.registry.PrometheusRegistry());
  }
}
