package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.InProcess;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Named tokens with roles on a daemon whose application port listens on every address with
 * api.readAccess: token: who may read, who may change what, and the audit trail of it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AccessTest {
  static final String VIEWER = "viewer-token-0123456789abcdef";
  static final String OPERATOR = "operator-token-0123456789abcd";
  static final String ADMIN = "admin-token-from-a-file-0123456";
  static final TestPostgres.Database DB;
  static final Path DIR;

  static {
    try {
      DB = TestPostgres.newDatabase("access");
      DIR = Files.createTempDirectory("access-test");
      OpsFiles f = new OpsFiles(DIR);
      f.write("admin.token", ADMIN + "\n");
      f.writeConfig(
          OpsFiles.target("main", DB),
          OpsFiles.state(DB, "access_state")
              + "api:\n  readAccess: token\n  tokens:\n"
              + "    - {name: dashboard, token: "
              + VIEWER
              + ", role: viewer}\n"
              + "    - {name: alice, token: "
              + OPERATOR
              + ", role: operator}\n"
              + "    - {name: deploy, tokenFile: "
              + DIR.resolve("admin.token")
              + ", role: admin}\n"
              + "scheduler:\n  name: access-test\n");
      // every address: the case api.readAccess exists for
      Files.writeString(
          f.config(),
          Files.readString(f.config())
              .replaceFirst("bindHost: 127.0.0.1, port: 0", "bindHost: 0.0.0.0, port: 0"));
      f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final DropwizardAppExtension<OpsConfiguration> APP = InProcess.daemon(DIR);

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    return new io.pgvectorops.testing.ApiClient("http://127.0.0.1:" + APP.getLocalPort(), token)
        .send(method, path, token == null ? null : "Bearer " + token, body);
  }

  private JsonNode ok(String method, String path, String token) throws Exception {
    HttpResponse<String> r = send(method, path, token, null);
    assertThat(r.statusCode()).as(method + " " + path + " " + r.body()).isBetween(200, 202);
    return json.readTree(r.body());
  }

  @Test
  void readsNeedAViewerTokenAndEachRoleMayDoItsOwn() throws Exception {
    HttpResponse<String> anonymous = send("GET", "/api/status", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"pgvector-ops\"");
    assertThat(json.readTree(anonymous.body()).get("message").asText())
        .contains("api.readAccess is token");
    for (String path : List.of("/api/targets", "/api/findings", "/api/audit", "/api/jobs")) {
      assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(ok("GET", "/api/status", VIEWER).get("api").get("readAccess").asText())
        .isEqualTo("token");
    // the dashboard's page itself carries no data and loads without a token
    assertThat(send("GET", "/", null, null).statusCode()).isEqualTo(200);

    // a token that matches none is refused even where reads would be open
    assertThat(send("GET", "/api/session", "not-a-token-of-anyone-at-all", null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> viewerRuns = send("POST", "/api/jobs/health/run", VIEWER, null);
    assertThat(viewerRuns.statusCode()).isEqualTo(403);
    assertThat(json.readTree(viewerRuns.body()).get("message").asText())
        .contains("'dashboard' has role viewer")
        .contains("operator");
    // the health run each daemon starts with may still hold the job on main (409 meanwhile)
    new ApiClient("http://127.0.0.1:" + APP.getLocalPort(), VIEWER).awaitRunsEnded("health");
    assertThat(send("POST", "/api/jobs/health/run", OPERATOR, null).statusCode()).isEqualTo(202);
    assertThat(send("POST", "/api/reload", OPERATOR, null).statusCode()).isEqualTo(403);
    assertThat(send("POST", "/api/reload", ADMIN, null).statusCode()).isEqualTo(200);
    // an admin may do what an operator may
    assertThat(send("POST", "/api/alerts/test", ADMIN, null).statusCode()).isEqualTo(200);
  }

  @Test
  void theSessionTellsTheDashboardWhatItsTokenMayDo() throws Exception {
    JsonNode anonymous = ok("GET", "/api/session", null);
    assertThat(anonymous.get("readAccess").asText()).isEqualTo("token");
    assertThat(anonymous.get("caller").isNull()).isTrue();
    assertThat(anonymous.get("actions").get("run-now").asText()).isEqualTo("operator");
    assertThat(anonymous.get("actions").get("silence-create").asText()).isEqualTo("operator");
    assertThat(anonymous.get("actions").get("baseline-pin").asText()).isEqualTo("operator");
    assertThat(anonymous.get("actions").get("reload").asText()).isEqualTo("admin");
    JsonNode viewer = ok("GET", "/api/session", VIEWER);
    assertThat(viewer.get("caller").get("name").asText()).isEqualTo("dashboard");
    assertThat(viewer.get("caller").get("role").asText()).isEqualTo("viewer");
    assertThat(ok("GET", "/api/session", ADMIN).get("caller").get("role").asText())
        .isEqualTo("admin");
  }

  @Test
  void theAuditTrailListsARunNowASilenceAndAReloadWithTokenAndClient() throws Exception {
    long runId =
        new ApiClient("http://127.0.0.1:" + APP.getLocalPort(), OPERATOR).runNow("health", "main");
    String silence =
        "{\"target\": \"main\", \"endsAt\": \""
            + Instant.now().plus(Duration.ofHours(1))
            + "\", \"comment\": \"audit test\"}";
    HttpResponse<String> created = send("POST", "/api/silences", OPERATOR, silence);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long silenceId = json.readTree(created.body()).get("id").asLong();
    ok("POST", "/api/reload", ADMIN);
    assertThat(send("POST", "/api/reload", VIEWER, null).statusCode()).isEqualTo(403);

    JsonNode audit = ok("GET", "/api/audit?limit=1000", VIEWER);
    List<String> rows = new ArrayList<>();
    audit.forEach(
        e ->
            rows.add(
                e.get("action").asText()
                    + " "
                    + e.get("object").asText()
                    + " by "
                    + e.get("tokenName").asText()
                    + "/"
                    + e.get("role").asText()
                    + " from "
                    + e.get("client").asText()
                    + ": "
                    + e.get("outcome").asText()
                    + " "
                    + e.get("status").asInt()
                    + " "
                    + e.get("detail").asText()));
    assertThat(rows)
        .contains(
            "run-now /api/jobs/health/run?target=main by alice/operator from 127.0.0.1:"
                + " succeeded 202 null",
            "silence-create /api/silences by alice/operator from 127.0.0.1: succeeded 201"
                + " created /api/silences/"
                + silenceId,
            "reload /api/reload by deploy/admin from 127.0.0.1: succeeded 200 null");
    assertThat(rows)
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith(
                        "reload /api/reload by dashboard/viewer from 127.0.0.1: refused 403")
                    .contains("has role viewer"));
    // newest first
    assertThat(audit.get(0).get("id").asLong()).isGreaterThan(audit.get(1).get("id").asLong());
    assertThat(ok("GET", "/api/audit?action=reload", VIEWER))
        .allSatisfy(e -> assertThat(e.get("action").asText()).isEqualTo("reload"));
    assertThat(runId).isPositive();
  }

  @Test
  void failedAuthenticationIsCountedInAMetric() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", "/api/status", "wrong-" + i + "-token-wrong-token", null).statusCode())
          .isEqualTo(401);
    }
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + APP.getAdminPort() + "/metrics/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double failures =
        metrics
            .lines()
            .filter(l -> l.startsWith("pgvector_ops_api_auth_failures_total "))
            .mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no pgvector_ops_api_auth_failures_total in " + metrics));
    assertThat(failures).isGreaterThanOrEqualTo(3);
  }
}
