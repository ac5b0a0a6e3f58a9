package io.pgvectorops.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon in its own process watching a fleet: every database of a server ({@code databases: all})
 * and a folder of target files, re-listed while it runs; jobs selecting targets by label; hashed
 * schedules; at most N runs at a time on one server.
 */
@Slow
class FleetTest {
  static final String TOKEN = "fleet-operator-token-0123456789";

  @TempDir Path dir;

  private static String server(TestPostgres.Database db) {
    return "jdbc:postgresql://" + db.host() + ":" + db.port();
  }

  private static String credentials(TestPostgres.Database db) {
    return "    user: "
        + db.user()
        + "\n"
        + (db.password() == null ? "" : "    password: " + db.password() + "\n");
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  private static List<String> jobTargets(ApiClient api, String job) throws Exception {
    for (JsonNode j : api.get("/api/jobs")) {
      if (j.get("name").asText().equals(job)) {
        List<String> out = new ArrayList<>();
        j.get("targets").forEach(t -> out.add(t.asText()));
        return out;
      }
    }
    throw new AssertionError("no job " + job);
  }

  @Test
  void databasesAndTargetFilesAreDiscoveredWhileRunningAndJobsSelectByLabel() throws Exception {
    TestPostgres.Database state = TestPostgres.newDatabase("fleet_state");
    TestPostgres.Database first = TestPostgres.newDatabase("fleetdisc");
    TestPostgres.Database second = TestPostgres.newDatabase("fleetdisc");
    TestPostgres.Database filed = TestPostgres.newDatabase("fleet_filed");
    OpsFiles f = new OpsFiles(dir);
    String entry =
        "  - name: srv\n    url: "
            + server(state)
            + "/postgres\n"
            + credentials(state)
            + "    databases: all\n    include: 'fleetdisc_.*'\n    labels: {env: prod, cluster: eu-1}\n";
    f.writeConfig(
        entry,
        OpsFiles.state(state, "fleet_state")
            + "targetFiles: ['targets.d/*.yml']\ndiscovery:\n  interval: 5s\n"
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: fleet1\n");
    Files.createDirectories(dir.resolve("targets.d"));
    f.write(
        "targets.d/dev.yml",
        "- name: filed\n    url: ".replace("    url", "  url")
            + filed.url()
            + "\n"
            + credentials(filed).replace("    ", "  ")
            + "  labels: {env: dev}\n");
    f.write("targets.d/broken.yml", "- name: broken\n  url: not-a-url\n");
    f.job(
        "probe.yml",
        "name: probe\nkind: sql-check\nschedule: '*/2 * * * * ?'\ntargets: [env=prod]\n"
            + "params:\n  query: \"SELECT 1 AS a WHERE false\"\n  key: a\n");
    int port = f.pinFreePorts();

    try (Daemon daemon = Daemon.start(dir, "daemon", f.config())) {
      daemon.awaitApi(port);
      ApiClient api = new ApiClient("http://127.0.0.1:" + port, TOKEN);
      String a = "srv/" + first.name();
      String b = "srv/" + second.name();
      assertThat(names(api.get("/api/targets"), "name")).containsExactly(a, b, "filed");
      JsonNode discovered = api.get("/api/targets").get(0);
      assertThat(discovered.get("labels").get("env").asText()).isEqualTo("prod");
      assertThat(discovered.get("discoveredBy").asText()).isEqualTo("srv");
      assertThat(names(api.get("/api/targets?labels=env=prod"), "name")).containsExactly(a, b);
      assertThat(names(api.get("/api/targets?labels=env=dev"), "name")).containsExactly("filed");
      // a discovered name holds a '/': the target's own page answers by it
      assertThat(api.get("/api/targets/" + a).get("name").asText()).isEqualTo(a);
      JsonNode problems = api.get("/api/status").get("targetProblems");
      assertThat(problems).hasSize(1);
      assertThat(problems.get(0).asText())
          .contains("broken.yml")
          .contains("[0] (broken)")
          .contains("url");
      assertThat(jobTargets(api, "probe")).containsExactly(a, b);

      // a new database on the server and a new file join within the re-list period
      TestPostgres.Database third = TestPostgres.newDatabase("fleetdisc");
      String c = "srv/" + third.name();
      f.write(
          "targets.d/more.yml",
          "- name: filed2\n  url: "
              + filed.url()
              + "\n"
              + credentials(filed).replace("    ", "  ")
              + "  labels: {env: prod}\n");
      await("the new database and file to be discovered")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> names(api.get("/api/targets"), "name"),
              n -> n.contains(c) && n.contains("filed2"));
      assertThat(jobTargets(api, "probe")).containsExactly(a, b, c, "filed2");
      await("a run of probe on the new database")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> names(api.get("/api/jobs/probe/runs?limit=500"), "target").contains(c));

      // dropped: gone from the schedule, without a failed run
      try (Connection conn = state.connect();
          Statement st = conn.createStatement()) {
        st.execute("DROP DATABASE " + third.name() + " WITH (FORCE)");
      }
      await("the dropped database to leave")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !names(api.get("/api/targets"), "name").contains(c));
      // a few more rounds of the 2-s schedule after it left: none of them may fail
      int before = api.get("/api/jobs/probe/runs?limit=1000").size();
      await("more runs of probe after the database left")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> api.get("/api/jobs/probe/runs?limit=1000").size() >= before + 6);
      JsonNode runs = api.get("/api/jobs/probe/runs?limit=1000");
      Set<String> ranOn = new HashSet<>();
      List<String> failed = new ArrayList<>();
      for (JsonNode r : runs) {
        ranOn.add(r.get("target").asText());
        if (r.get("status").asText().equals("failed")) {
          failed.add(r.get("target").asText() + ": " + r.get("error").asText());
        }
      }
      assertThat(ranOn)
          .as("only targets labelled env=prod")
          .containsExactlyInAnyOrder(a, b, c, "filed2");
      assertThat(failed).isEmpty();
      assertThat(daemon.log()).contains("targets re-listed");
    }
  }

  @Test
  void hashedSchedulesAreSpreadAndTheSameAfterARestart() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("fleet_hash");
    OpsFiles f = new OpsFiles(dir);
    StringBuilder targets = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      targets.append(
          String.format(
              "- name: t%02d\n  url: %s\n%s", i, db.url(), credentials(db).replace("    ", "  ")));
    }
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "fleet_hash")
            + "targetFiles: [tenants.yml]\nscheduler:\n  name: fleet2\n");
    f.write("tenants.yml", targets.toString());
    f.job(
        "check.yml",
        "name: check\nkind: sql-check\nschedule: '0 H/5 * * * ?'\ntargets: ["
            + String.join(
                ", ",
                java.util.stream.IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> String.format("t%02d", i))
                    .toList())
            + "]\nparams:\n  query: \"SELECT 1 AS a WHERE false\"\n  key: a\n");
    int port = f.pinFreePorts();
    Map<String, String> before;
    try (Daemon daemon = Daemon.start(dir, "first", f.config())) {
      daemon.awaitApi(port);
      before = cronTriggers(db, "fleet_hash");
    }
    assertThat(before).hasSize(20);
    Set<String> minutes = new HashSet<>();
    before.values().forEach(cron -> minutes.add(cron.split(" ")[1]));
    // 20 pairs over the 5 offsets H/5 allows: never all on one
    assertThat(minutes).as(before.toString()).hasSizeGreaterThanOrEqualTo(3);
    before.values().forEach(cron -> assertThat(cron).matches("0 [0-4]-59/5 \\* \\* \\* \\?"));
    try (Daemon daemon = Daemon.start(dir, "second", f.config())) {
      daemon.awaitApi(port);
      assertThat(cronTriggers(db, "fleet_hash")).isEqualTo(before);
    }
  }

  /** What Quartz stored: each pair's cron expression, by job key. */
  private static Map<String, String> cronTriggers(TestPostgres.Database db, String schema)
      throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT trigger_name, cron_expression FROM "
                    + schema
                    + ".qrtz_cron_triggers WHERE trigger_name LIKE 'check@%' ORDER BY 1")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void neverMoreThanTheCapOfRunsOnOneServerAtOnce() throws Exception {
    TestPostgres.Database state = TestPostgres.newDatabase("fleet_capstate");
    for (int i = 0; i < 10; i++) {
      TestPostgres.newDatabase("fleetcap");
    }
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        "  - name: srv\n    url: "
            + server(state)
            + "/postgres\n"
            + credentials(state)
            + "    databases: all\n    include: 'fleetcap_.*'\n",
        OpsFiles.state(state, "fleet_cap")
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: fleet3\n  threads: 12\n  maxConcurrentRunsPerServer: 2\n");
    f.job(
        "sleepy.yml",
        "name: sleepy\nkind: sql-check\nschedule: '0/30 * * * * ?'\n"
            + "params:\n  query: \"SELECT 1 AS a FROM pg_sleep(1.5) WHERE random() < 0\"\n  key: a\n");
    int port = f.pinFreePorts();
    AtomicInteger most = new AtomicInteger();
    String log;
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              try (Connection c = state.connect();
                  Statement s = c.createStatement()) {
                while (sampling.get()) {
                  try (ResultSet rs =
                      s.executeQuery(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              + " 'pgvector-ops' AND state <> 'idle' AND datname LIKE 'fleetcap%'")) {
                    rs.next();
                    most.accumulateAndGet(rs.getInt(1), Math::max);
                  }
                  Thread.sleep(25);
                }
              } catch (Exception e) {
                most.set(-1000);
              }
            });
    try (Daemon daemon = Daemon.start(dir, "daemon", f.config())) {
      daemon.awaitApi(port);
      ApiClient api = new ApiClient("http://127.0.0.1:" + port, TOKEN);
      assertThat(jobTargets(api, "sleepy")).hasSize(10);
      sampler.start();
      // all ten fire at the same second (:00 or :30): ten runs of 1.5 s, two at a time
      await("one round of ten runs")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                JsonNode runs = api.get("/api/jobs/sleepy/runs?limit=100");
                long done = 0;
                for (JsonNode r : runs) {
                  done += r.get("status").asText().equals("succeeded") ? 1 : 0;
                }
                return done >= 10;
              });
      sampling.set(false);
      sampler.join();
      log = daemon.log();
    }
    assertThat(most.get()).as("most of our sessions active on the server at once").isEqualTo(2);
    assertThat(log).contains("waiting for a slot on its server");
  }
}
