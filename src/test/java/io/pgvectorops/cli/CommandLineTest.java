package io.pgvectorops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as an operator runs them: a child JVM, real exit codes, stdout and stderr. */
@Slow
class CommandLineTest {
  private static final String HEALTH = "name: health\nkind: health\nschedule: '0 * * * * ?'\n";
  static TestPostgres.Database db;
  @TempDir Path dir;

  @BeforeAll
  static void database() throws Exception {
    db = TestPostgres.newDatabase("cli");
    db.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, embedding vector(3))",
        "INSERT INTO docs (embedding) SELECT ARRAY[random(), random(), random()]::vector FROM generate_series(1, 200)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (embedding vector_l2_ops) WITH (m = 8)");
  }

  private static void assertOperatorMessage(Daemon.Result r) {
    assertThat(r.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void missingEnvironmentVariableNamesFileLineAndKey() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db) + "    password: ${PGVO_TEST_UNSET_SECRET}\n", "");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(config + ": line ")
        .contains("key 'password'")
        .contains("environment variable PGVO_TEST_UNSET_SECRET is not set");
    assertOperatorMessage(r);
  }

  @Test
  void unknownConfigKeyIsNamed() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db) + "    colour: blue\n", "");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "server", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(config.toString()).contains("colour");
    assertOperatorMessage(r);
  }

  @Test
  void badCronInAJobFileStopsTheServerNamingFileAndKey() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), OpsFiles.state(db, "cli_badcron"));
    Path job = f.job("broken.yml", "name: broken\nkind: health\nschedule: 'every minute'\n");
    Daemon.Result r = Daemon.run(dir, Map.of(), "server", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(job + ": key 'schedule': 'every minute' is not a valid Quartz cron");
    assertOperatorMessage(r);
    // nothing was half-started: the state schema was never created
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'cli_badcron'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void unknownTargetInAJobFileIsNamed() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), "");
    Path job = f.job("h.yml", HEALTH + "targets: [main, nowhere]\n");
    Daemon.Result r = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains(job + ": key 'targets': unknown target 'nowhere' (configured: main)");
    assertOperatorMessage(r);
  }

  @Test
  void aPasswordInClearTextNextToAnEnvironmentReferenceIsWarnedAboutWithoutBeingShown()
      throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db) + "    password: plain-Secret-4711\n",
            "api:\n  token: ${OPS_TOKEN}\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r =
        Daemon.run(
            dir, Map.of("OPS_TOKEN", "a-token-from-the-environment"), "check", config.toString());
    String all = r.stdout() + r.stderr();
    assertThat(all)
        .contains(
            "line "
                + (java.nio.file.Files.readAllLines(config)
                        .indexOf("    password: plain-Secret-4711")
                    + 1))
        .contains(
            "key 'password' holds a secret in clear text; prefer ${ENV} or a file (passwordFile)");
    assertThat(all)
        .doesNotContain("plain-Secret-4711")
        .doesNotContain("a-token-from-the-environment");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void shortApiTokenRefusesToStart() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), "api:\n  token: short\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "server", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains(config + ": key 'api.token': must be at least 16 characters");
    assertOperatorMessage(r);
  }

  @Test
  void openReadsOnARoutableAddressRefuseToStartUnlessSaidOnPurpose() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), "");
    Files.writeString(
        config,
        Files.readString(config)
            .replaceFirst("bindHost: 127.0.0.1, port: 0", "bindHost: 0.0.0.0, port: 0"));
    f.job("health.yml", HEALTH);
    Daemon.Result server = Daemon.run(dir, Map.of(), "server", config.toString());
    assertThat(server.exitCode()).isEqualTo(1);
    assertThat(server.stderr())
        .contains(
            config
                + ": key 'api.readAccess': is unset while the application connector listens on"
                + " 0.0.0.0");
    assertOperatorMessage(server);
    Daemon.Result check = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(check.exitCode()).isNotZero();
    assertThat(check.stdout() + check.stderr()).contains("api.readAccess");
    // said on purpose: the check passes
    Files.writeString(config, Files.readString(config) + "api:\n  readAccess: open\n");
    Daemon.Result open = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(open.exitCode()).as(open.stdout() + open.stderr()).isZero();
  }

  @Test
  void namedTokensAreCheckedByKey() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db),
            "api:\n  readAccess: token\n  tokens:\n"
                + "    - {name: a, token: short, role: viewer}\n"
                + "    - {name: a, tokenFile: /nonexistent/token, role: operator}\n"
                + "    - {name: b, token: long-enough-token-0123456789}\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stdout() + r.stderr())
        .contains(config + ": key 'api.tokens[0] (a).token': must be at least 16 characters")
        .contains(config + ": key 'api.tokens[1] (a).name': is used by another token")
        .contains(config + ": key 'api.tokens[1] (a).tokenFile': cannot read /nonexistent/token")
        .contains(config + ": key 'api.tokens[2] (b).role': is missing")
        .doesNotContain("long-enough-token-0123456789");
  }

  @Test
  void badAlertChannelsAreNamedAtStartup() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db),
            "alerts:\n  email:\n    host: 127.0.0.1\n"
                + "    to: [oncall@example.org]\n  webhooks:\n    - name: ops\n      url: ftp://hooks.example.org/x\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "server", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("key 'alerts.email.from': is missing")
        .contains(
            "key 'alerts.webhooks[0] (ops).url': must be an http:// or https:// URL, not 'ftp:'");
    assertOperatorMessage(r);
  }

  @Test
  void checkReportsAnUnreachableSmtpServer() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    int closed = TestPostgres.closedPort();
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db),
            OpsFiles.state(db, "cli_smtp")
                + "alerts:\n  email:\n    host: 127.0.0.1\n    port: "
                + closed
                + "\n    timeout: 3s\n"
                + "    from: ops@example.org\n    to: [oncall@example.org]\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r = Daemon.run(dir, Map.of(), "check", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).contains("alerts.email 127.0.0.1:" + closed + ": UNREACHABLE");
    assertOperatorMessage(r);
  }

  /** A daemon that cannot take SIGHUP says how to reload instead, once, at start. */
  @Test
  void aDaemonStartedUnderNohupSaysReloadWorksOnlyThroughTheApi() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "cli_nohup") + "scheduler:\n  name: nohup\n");
    int port = f.pinFreePorts();
    f.job("health.yml", HEALTH);
    try (Daemon nohup = Daemon.startUnderNohup(dir, "nohup", f.config())) {
      nohup.awaitApi(port);
      assertThat(nohup.log())
          .contains("SIGHUP is ignored by this process (started under nohup?)")
          .contains("reload through POST /api/reload");
    }
    try (Daemon plain = Daemon.start(dir, "plain", f.config())) {
      plain.awaitApi(port);
      assertThat(plain.log()).doesNotContain("SIGHUP is ignored");
    }
  }

  /** {@code pgvector-ops run ... | jq .}: what reading the file warns about goes to stderr. */
  @Test
  void runPrintsOnlyJsonOnStdoutEvenWhenReadingTheConfigWarns() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config =
        f.writeConfig(
            OpsFiles.target("main", db) + "    password: plain-Secret-4711\n",
            OpsFiles.state(db, "cli_json") + "api:\n  token: ${OPS_TOKEN}\n");
    f.job("health.yml", HEALTH);
    Daemon.Result r =
        Daemon.run(
            dir,
            Map.of("OPS_TOKEN", "a-token-from-the-environment"),
            "run",
            "health",
            config.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("holds a secret in clear text");
    assertThat(r.stdout().strip()).startsWith("{").endsWith("}");
    assertThat(new ObjectMapper().readTree(r.stdout()).get("status").asText())
        .isEqualTo("succeeded");
  }

  @Test
  void runHealthPrintsJsonAndRecordsTheRun() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), OpsFiles.state(db, "cli_ok"));
    f.job("health.yml", HEALTH);
    Daemon.Result r =
        Daemon.run(dir, Map.of(), "run", "health", "--target", "main", config.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode out = new ObjectMapper().readTree(r.stdout());
    assertThat(out.get("status").asText()).isEqualTo("succeeded");
    JsonNode run = out.get("runs").get(0);
    assertThat(run.get("target").asText()).isEqualTo("main");
    assertThat(run.get("summary").get("pgvector").asText()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(run.get("summary").get("vectorIndexes").get(0).get("index").asText())
        .isEqualTo("public.docs_hnsw");
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT status, trigger FROM cli_ok.job_run WHERE id = "
                    + run.get("runId").asLong())) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("succeeded");
      assertThat(rs.getString(2)).isEqualTo("cli");
    }
  }

  @Test
  void runHealthOnAStoppedTargetExitsOneAndRecordsACriticalFinding() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.deadTarget("down"), OpsFiles.state(db, "cli_down"));
    f.job("health.yml", HEALTH);
    Daemon.Result r =
        Daemon.run(dir, Map.of(), "run", "health", "--target", "down", config.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("health@down failed: cannot connect to target down");
    assertOperatorMessage(r);
    JsonNode out = new ObjectMapper().readTree(r.stdout());
    assertThat(out.get("status").asText()).isEqualTo("failed");
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT severity, kind, object FROM cli_down.finding WHERE resolved_at IS NULL")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("critical");
      assertThat(rs.getString(2)).isEqualTo("target-unreachable");
      assertThat(rs.getString(3)).isEqualTo("down");
    }
  }

  @Test
  void badUsageExitsTwo() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path config = f.writeConfig(OpsFiles.target("main", db), OpsFiles.state(db, "cli_usage"));
    f.job("health.yml", HEALTH);
    Daemon.Result unknownJob = Daemon.run(dir, Map.of(), "run", "nope", config.toString());
    assertThat(unknownJob.exitCode()).isEqualTo(2);
    assertThat(unknownJob.stderr()).contains("no job named 'nope'").contains("jobs: health");
    Daemon.Result unknownTarget =
        Daemon.run(dir, Map.of(), "run", "health", "--target", "x", config.toString());
    assertThat(unknownTarget.exitCode()).isEqualTo(2);
    Daemon.Result noConfig = Daemon.run(dir, Map.of(), "run");
    assertThat(noConfig.exitCode()).isEqualTo(2);
  }

  @Test
  void checkReportsEachTargetAndFailsOnAnUnreachableOne() throws Exception {
    OpsFiles f = new OpsFiles(dir);
    Path good = f.writeConfig(OpsFiles.target("main", db), OpsFiles.state(db, "cli_check"));
    f.job("health.yml", HEALTH);
    Daemon.Result ok = Daemon.run(dir, Map.of(), "check", good.toString());
    assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
    assertThat(ok.stdout())
        .contains("target main: PostgreSQL")
        .contains("pgvector 0.")
        .contains("1 vector index");
    Path bad =
        f.writeConfig(
            OpsFiles.target("main", db) + OpsFiles.deadTarget("down"),
            OpsFiles.state(db, "cli_check"));
    Daemon.Result down = Daemon.run(dir, Map.of(), "check", bad.toString());
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.stdout()).contains("target down: UNREACHABLE");
  }
}
