package io.pgvectorops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret ever leaves the daemon: after a full run of every job kind (one target up with a
 * password, one down with a password, a webhook with a signing secret and a bearer header, email to
 * an SMTP server that is down), the log, every API answer, every run's summary and error, the admin
 * endpoints, the `check` output and the webhook payloads are searched for each secret.
 */
@Slow
class SecretsTest {
  static final String TOKEN = "tok-Zq8xW2pL9vN4kR7s";
  static final String TARGET_PW = "pw-target-Hs83kd02Lq";
  static final String DOWN_PW = "pw-down-Vn37Qp10Zx";
  static final String STATE_PW = "pw-state-Mc92Lr55Te";
  static final String HOOK_SECRET = "hook-secret-Yb71Kc48Ua";
  static final String HOOK_BEARER = "hook-bearer-Pf26Jd93Wo";
  static final String SMTP_PW = "smtp-pw-Ge64Rt17Ni";
  static final String PAGERDUTY_KEY = "pd-routing-Xw53Hb88Qa";
  static final List<String> SECRETS =
      List.of(
          TOKEN, TARGET_PW, DOWN_PW, STATE_PW, HOOK_SECRET, HOOK_BEARER, SMTP_PW, PAGERDUTY_KEY);

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @Test
  void noSecretAppearsInLogsApiSummariesErrorsOrPayloads() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("secrets");
    // a role with a password (the local cluster trusts loopback, so it is configured but not asked
    // for)
    db.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ops_secret') THEN"
            + " CREATE ROLE ops_secret LOGIN SUPERUSER PASSWORD '"
            + TARGET_PW
            + "'; END IF; END $$",
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO docs (e) SELECT rv(8) FROM generate_series(1, 2000)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (e vector_l2_ops)",
        "ANALYZE docs");
    try (WebhookReceiver hook = new WebhookReceiver().start()) {
      OpsFiles f = new OpsFiles(dir);
      String up =
          "  - name: main\n    url: "
              + db.url()
              + "\n    user: ops_secret\n    password: ${TARGET_PW}\n";
      String down =
          "  - name: down\n    url: jdbc:postgresql://127.0.0.1:"
              + TestPostgres.closedPort()
              + "/nothing\n    user: postgres\n    password: "
              + DOWN_PW
              + "\n    connectTimeout: 2s\n";
      f.writeConfig(
          up + down,
          "state:\n  url: "
              + db.url()
              + "\n  user: "
              + db.user()
              + "\n  password: "
              + STATE_PW
              + "\n  schema: secrets_state\n"
              + "api:\n  token: ${API_TOKEN}\nscheduler:\n  name: secrets\n"
              + "alerts:\n  retryInitial: 1s\n  webhooks:\n    - name: ops\n      url: "
              + hook.url()
              + "\n"
              + "      secret: "
              + HOOK_SECRET
              + "\n      headers: {Authorization: \"Bearer "
              + HOOK_BEARER
              + "\"}\n"
              + "  email:\n    host: 127.0.0.1\n    port: "
              + TestPostgres.closedPort()
              + "\n    transport: smtp\n"
              + "    username: ops\n    password: "
              + SMTP_PW
              + "\n    from: ops@example.org\n    to: [oncall@example.org]\n"
              + "    timeout: 2s\n"
              // a PagerDuty service that cannot be reached: its failures are logged
              + "  pagerduty:\n    - name: oncall\n      routingKey: "
              + PAGERDUTY_KEY
              + "\n      url: http://127.0.0.1:"
              + TestPostgres.closedPort()
              + "/v2/enqueue\n      timeout: 2s\n");
      for (String kind : List.of("health", "bloat", "slow-queries", "prewarm", "regression")) {
        f.job(
            kind + ".yml",
            "name: "
                + kind
                + "\nkind: "
                + kind
                + "\nschedule: '0 0 0 1 1 ?'\n"
                + (kind.equals("regression") ? "params: {probes: 10}\n" : ""));
      }
      f.job(
          "rebuild.yml",
          "name: rebuild\nkind: index-rebuild\nschedule: '0 0 0 1 1 ?'\ntargets: [main]\n"
              + "params:\n  indexes: [public.docs_hnsw]\n");
      f.job(
          "check.yml",
          "name: check\nkind: sql-check\nschedule: '0 0 0 1 1 ?'\n"
              + "params:\n  query: SELECT 'x' AS k FROM docs WHERE id < 0\n  key: k\n  severity: warning\n"
              + "  findingKind: never\n  message: '{k}'\n");
      int appPort = OpsFiles.freePort();
      int admin = OpsFiles.freePort();
      f.pinPorts(appPort, admin);
      Map<String, String> env = Map.of("TARGET_PW", TARGET_PW, "API_TOKEN", TOKEN);
      List<String> seen = new ArrayList<>();
      Daemon.Result check = Daemon.run(dir, env, "check", f.config().toString());
      seen.add(check.stdout() + check.stderr());

      try (Daemon daemon = Daemon.start(dir, "daemon", f.config(), env)) {
        String base = "http://127.0.0.1:";
        daemon.awaitApi(appPort);
        List<Long> runs = new ArrayList<>();
        for (String job :
            List.of(
                "health", "bloat", "slow-queries", "prewarm", "regression", "rebuild", "check")) {
          for (String target : job.equals("rebuild") ? List.of("main") : List.of("main", "down")) {
            // waits while the start-up health run of the target is still going (409)
            runs.add(new ApiClient(base + appPort, TOKEN).runNow(job, target));
          }
        }
        for (long id : runs) {
          seen.add(awaitEnd(base + appPort, id));
        }
        // the down target's critical finding is delivered by webhook and fails by email
        await("the webhook delivery")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> !hook.requests().isEmpty());
        hook.requests()
            .forEach(
                r ->
                    seen.add(
                        r.body()
                            + r.headers().entrySet().stream()
                                .filter(h -> !h.getKey().equalsIgnoreCase("Authorization"))
                                .toList()));
        // wrong tokens are refused without echoing anything back
        seen.add(
            send(HttpRequest.newBuilder(
                        URI.create(base + appPort + "/api/jobs/health/run?target=main"))
                    .header("Authorization", "Bearer " + TOKEN + "x")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build())
                .body());
        for (String path :
            List.of(
                "/api/status",
                "/api/targets",
                "/api/targets/main",
                "/api/targets/down",
                "/api/jobs",
                "/api/findings?state=open",
                "/api/findings?state=resolved",
                "/api/alerts?state=firing",
                "/api/alerts?state=resolved",
                "/api/silences?state=all",
                "/api/regression/main/public.docs_hnsw",
                "/api/jobs/health/runs?limit=100",
                "/",
                "/nothing")) {
          seen.add(send(HttpRequest.newBuilder(URI.create(base + appPort + path)).build()).body());
        }
        for (String path : List.of("/healthcheck", "/metrics", "/metrics/prometheus")) {
          seen.add(send(HttpRequest.newBuilder(URI.create(base + admin + path)).build()).body());
        }
        seen.add(daemon.log());
      }
      String all = String.join("\n", seen);
      // what was searched holds what it should: the config summary, the errors, the inventory, the
      // payloads
      assertThat(all)
          .contains("starting with")
          .contains("cannot connect")
          .contains("public.docs_hnsw")
          .contains("password=****");
      for (String secret : SECRETS) {
        assertThat(all).as("secret " + secret.substring(0, 6) + "…").doesNotContain(secret);
      }
    }
  }

  private HttpResponse<String> send(HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private String runStatus(String body) {
    try {
      return json.readTree(body).get("run").get("status").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String awaitEnd(String base, long id) throws Exception {
    return await("run " + id + " to end")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).build()).body(),
            body -> !runStatus(body).equals("running"));
  }
}
