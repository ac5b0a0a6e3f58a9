package io.pgvectorops.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon in its own process reloads its targets and job files on SIGHUP and on POST /api/reload:
 * what was added, changed and removed takes effect, an unchanged trigger keeps its next fire time,
 * a run in flight ends normally, and a broken file changes nothing and is reported.
 */
@Slow
class ReloadTest {
  static final String ADMIN = "reload-admin-token-0123456789";
  static final String OPERATOR = "reload-operator-token-012345";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void sighupAndTheApiReloadTargetsAndJobsWithoutARestart() throws Exception {
    TestPostgres.Database main = TestPostgres.newDatabase("reload_main");
    TestPostgres.Database second = TestPostgres.newDatabase("reload_second");
    OpsFiles f = new OpsFiles(dir);
    String api =
        "api:\n  tokens:\n    - {name: deploy, token: "
            + ADMIN
            + ", role: admin}\n    - {name: alice, token: "
            + OPERATOR
            + ", role: operator}\n";
    String rest = OpsFiles.state(main, "reload_state") + api + "scheduler:\n  name: reload\n";
    f.writeConfig(OpsFiles.target("main", main), rest);
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    f.job("bloat.yml", "name: bloat\nkind: bloat\nschedule: '0 0 3 * * ?'\n");
    f.job(
        "sleepy.yml",
        "name: sleepy\nkind: sql-check\nschedule: '0 0 0 1 1 ?'\n"
            + "params:\n  query: \"SELECT 1 AS a FROM pg_sleep(4)\"\n  key: a\n");
    int port = f.pinFreePorts();
    String configText = Files.readString(f.config());

    try (Daemon daemon = Daemon.start(dir, "daemon", f.config())) {
      daemon.awaitApi(port);
      ApiClient client = new ApiClient("http://127.0.0.1:" + port, OPERATOR);
      String bloatNext = nextFire(client, "bloat");
      long sleeping = client.runNow("sleepy");

      // a second target, a new job on both, a changed schedule; SIGHUP while sleepy runs
      Files.writeString(
          f.config(),
          configText.replace(
              OpsFiles.target("main", main),
              OpsFiles.target("main", main) + OpsFiles.target("second", second)));
      f.job("prewarm.yml", "name: prewarm\nkind: prewarm\nschedule: '0 30 4 * * ?'\n");
      f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 2 1 ?'\n");
      assertThat(new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor())
          .isZero();
      JsonNode reload =
          await("the SIGHUP reload")
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> client.get("/api/status").get("lastReload"), r -> !r.isNull());
      assertThat(reload.get("by").asText()).isEqualTo("SIGHUP");
      assertThat(reload.get("applied").asBoolean()).as(reload.toString()).isTrue();
      assertThat(names(reload.get("targets").get("added"))).containsExactly("second");
      assertThat(names(reload.get("jobs").get("added"))).containsExactly("prewarm");
      // health's schedule changed, and bloat and sleepy now also run on the new target
      assertThat(names(reload.get("jobs").get("changed")))
          .containsExactlyInAnyOrder("health", "bloat", "sleepy");
      assertThat(client.awaitEnd(sleeping).get("status").asText()).isEqualTo("succeeded");
      JsonNode added =
          await("the new target's health run at reload")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> client.get("/api/targets/second"),
                  t -> t.get("state").asText().equals("up"));
      assertThat(added.get("name").asText()).isEqualTo("second");
      assertThat(names(client.get("/api/status").get("targets"), "name"))
          .containsExactly("main", "second");
      assertThat(nextFire(client, "prewarm")).isNotNull();
      // bloat's schedule did not change: its trigger kept its next fire time
      assertThat(nextFire(client, "bloat")).isEqualTo(bloatNext);

      // a broken job file: 422 naming the file and the key; the running jobs stay
      f.job("broken.yml", "name: broken\nkind: health\nschedule: '0 0 0 1 1 ?'\nshedule: x\n");
      HttpResponse<String> refused = reload(port, ADMIN);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(json.readTree(refused.body()).get("message").asText())
          .contains("broken.yml")
          .contains("shedule");
      // the status is at most a second old
      JsonNode last =
          await("the refused reload in the status")
              .atMost(Duration.ofSeconds(5))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> client.get("/api/status").get("lastReload"),
                  r -> !r.get("applied").asBoolean());
      assertThat(last.get("error").asText()).contains("broken.yml");
      assertThat(names(client.get("/api/jobs"), "name")).contains("prewarm", "bloat");
      assertThat(reload(port, OPERATOR).statusCode()).isEqualTo(403);

      // the target removed again and the broken file mended: second leaves the schedule
      Files.delete(f.dir().resolve("jobs/broken.yml"));
      Files.writeString(f.config(), configText);
      HttpResponse<String> applied = reload(port, ADMIN);
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      JsonNode report = json.readTree(applied.body());
      assertThat(names(report.get("targets").get("removed"))).containsExactly("second");
      assertThat(names(client.get("/api/targets"), "name")).containsExactly("main");
      // its pool closes once no run uses it: no session of ours stays on that database
      await("the removed target's connections closed")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> sessionsOfOurs(main, second.name()) == 0);
      assertThat(names(report.get("needRestart"))).isEmpty();

      // sections read only at start: named by every reload while the file differs from the start
      Files.writeString(
          f.config(),
          configText
              .replace("  schema: reload_state\n", "  schema: reload_state\n  historyDays: 30\n")
              .replace("  level: INFO\n", "  level: DEBUG\n"));
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> pending = reload(port, ADMIN);
        assertThat(pending.statusCode()).as(pending.body()).isEqualTo(200);
        assertThat(names(json.readTree(pending.body()).get("needRestart")))
            .as("reload " + (i + 1))
            .containsExactly("logging", "state");
      }
      Files.writeString(f.config(), configText);
      assertThat(names(json.readTree(reload(port, ADMIN).body()).get("needRestart")))
          .as("the change undone in the file")
          .isEmpty();

      JsonNode audit = client.get("/api/audit?action=reload");
      List<String> who = new ArrayList<>();
      audit.forEach(e -> who.add(e.get("client").asText() + " " + e.get("outcome").asText()));
      assertThat(who).contains("signal SIGHUP succeeded", "127.0.0.1 failed", "127.0.0.1 refused");
      assertThat(daemon.log())
          .contains("reload by SIGHUP: targets 1 added [second]")
          .contains("reload by token deploy refused, the running configuration stays")
          .doesNotContain(ADMIN)
          .doesNotContain(OPERATOR);
    }
  }

  @Test
  void aReloadRotatesTheApiTokensAndTheReadAccessWithoutARestart() throws Exception {
    TestPostgres.Database main = TestPostgres.newDatabase("reload_tokens");
    OpsFiles f = new OpsFiles(dir);
    Path opsFile = dir.resolve("ops.token");
    String oldOps = "first-operator-secret-0123456789";
    String newOps = "second-operator-secret-987654321";
    String viewer = "dashboard-viewer-secret-24680";
    Files.writeString(opsFile, oldOps + "\n");
    String tokens =
        "api:\n  tokens:\n    - {name: deploy, token: "
            + ADMIN
            + ", role: admin}\n    - {name: ops, tokenFile: "
            + opsFile
            + ", role: operator}\n";
    String rest = OpsFiles.state(main, "reload_tokens_state") + "scheduler:\n  name: tokens\n";
    f.writeConfig(OpsFiles.target("main", main), tokens + "  readAccess: open\n" + rest);
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    int port = f.pinFreePorts();
    String configText = Files.readString(f.config());

    try (Daemon daemon = Daemon.start(dir, "daemon", f.config())) {
      daemon.awaitApi(port);
      ApiClient anonymous = new ApiClient("http://127.0.0.1:" + port, null);
      ApiClient before = new ApiClient("http://127.0.0.1:" + port, oldOps);
      assertThat(anonymous.send("GET", "/api/status", null, null).statusCode()).isEqualTo(200);
      assertThat(before.runNow("health")).isPositive();

      // the operator's secret rotated in its file, reads closed, a viewer added: one reload
      Files.writeString(opsFile, newOps + "\n");
      Files.writeString(
          f.config(),
          configText.replace(
              "  readAccess: open\n",
              "    - {name: dashboard, token: "
                  + viewer
                  + ", role: viewer}\n"
                  + "  readAccess: token\n"));
      HttpResponse<String> applied = reload(port, ADMIN);
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      JsonNode report = json.readTree(applied.body());
      assertThat(report.get("applied").asBoolean()).isTrue();
      assertThat(names(report.get("needRestart"))).doesNotContain("api");

      assertThat(before.send("GET", "/api/status", "Bearer " + oldOps, null).statusCode())
          .as("the rotated-out secret")
          .isEqualTo(401);
      assertThat(new ApiClient("http://127.0.0.1:" + port, newOps).runNow("health")).isPositive();
      assertThat(anonymous.send("GET", "/api/status", null, null).statusCode())
          .as("reads now need a token")
          .isEqualTo(401);
      ApiClient dashboard = new ApiClient("http://127.0.0.1:" + port, viewer);
      // the status answer is shared for up to a second
      await("the status to show the new read access")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> dashboard.get("/api/status").get("api").get("readAccess").asText(),
              "token"::equals);
      assertThat(dashboard.get("/api/session").get("readAccess").asText()).isEqualTo("token");
      assertThat(
              dashboard.send("POST", "/api/jobs/health/run", "Bearer " + viewer, null).statusCode())
          .isEqualTo(403);

      // a token file that cannot be read: refused, the tokens in force stay
      Files.delete(opsFile);
      HttpResponse<String> refused = reload(port, ADMIN);
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(json.readTree(refused.body()).get("message").asText())
          .contains("key 'api.tokens[1] (ops).tokenFile': cannot read " + opsFile);
      assertThat(dashboard.get("/api/status").get("api").get("readAccess").asText())
          .isEqualTo("token");
      assertThat(new ApiClient("http://127.0.0.1:" + port, newOps).runNow("health")).isPositive();

      assertThat(daemon.log())
          .contains(
              "api readAccess=token, tokens [deploy (admin), ops (operator), dashboard (viewer)]")
          .doesNotContain(oldOps)
          .doesNotContain(newOps)
          .doesNotContain(viewer)
          .doesNotContain(ADMIN);
    }
  }

  private HttpResponse<String> reload(int port, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/reload"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String nextFire(ApiClient client, String job) throws Exception {
    for (JsonNode j : client.get("/api/jobs")) {
      if (j.get("name").asText().equals(job)) {
        return j.get("nextFireTime").asText();
      }
    }
    return null;
  }

  private static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get(field).asText()));
    return out;
  }

  private static long sessionsOfOurs(TestPostgres.Database any, String database)
      throws java.sql.SQLException {
    return any.queryLong(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
            + database
            + "' AND application_name = 'pgvector-ops'");
  }
}
