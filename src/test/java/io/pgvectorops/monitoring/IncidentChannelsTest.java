package io.pgvectorops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One alert that fires and then resolves, delivered to a real Alertmanager (Debian's package, a
 * child process with a configuration of the test's own), to a receiver that checks PagerDuty's
 * Events API v2 schema, and to a json webhook whose bodies are validated against the shipped JSON
 * Schema.
 */
@Slow
class IncidentChannelsTest {
  static final String TOKEN = "incident-test-token-0123456789";
  static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anAlertFiresAndResolvesInAlertmanagerPagerDutyAndTheWebhook() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("incident");
    db.execute("CREATE TABLE canary (key text PRIMARY KEY)", "INSERT INTO canary VALUES ('one')");
    Path dir = Files.createTempDirectory("incident-test");
    int amPort = OpsFiles.freePort();
    Files.writeString(
        dir.resolve("alertmanager.yml"),
        "route:\n  receiver: 'null'\n  group_wait: 1s\nreceivers:\n  - name: 'null'\n");
    Process am =
        new ProcessBuilder(
                "prometheus-alertmanager",
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("alertmanager.log").toFile())
            .start();
    try (WebhookReceiver pagerduty = new WebhookReceiver().start();
        WebhookReceiver webhook = new WebhookReceiver().start()) {
      await("Alertmanager to start")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get("http://127.0.0.1:" + amPort + "/api/v2/status") != null);
      OpsFiles f = new OpsFiles(dir);
      f.writeConfig(
          OpsFiles.target("main", db),
          OpsFiles.state(db, "incident_state")
              + "api:\n  token: "
              + TOKEN
              + "\nscheduler:\n  name: incident-test\n"
              + "alerts:\n  keepFiringFor: 0s\n  retryInitial: 200ms\n  retryMax: 1s\n"
              + "  dashboardUrl: https://ops.example.org/\n"
              + "  alertmanagerResendInterval: 2s\n"
              + "  alertmanagers:\n    - name: main\n      url: http://127.0.0.1:"
              + amPort
              + "\n  pagerduty:\n    - name: oncall\n      routingKey: "
              + ROUTING_KEY
              + "\n      url: "
              + pagerduty.url()
              + "\n  webhooks:\n    - name: ops\n      url: "
              + webhook.url()
              + "\n");
      f.job(
          "canary.yml",
          "name: canary\nkind: sql-check\nschedule: '0 0 0 1 1 ?'\n"
              + "params:\n  query: SELECT key FROM canary\n  key: key\n  severity: critical\n"
              + "  findingKind: canary-row\n  message: 'canary row {key} is there'\n");
      DropwizardTestSupport<OpsConfiguration> app =
          new DropwizardTestSupport<>(
              PgvectorOpsApplication.class,
              f.config().toString(),
              ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
      app.before();
      try {
        ApiClient api = new ApiClient("http://127.0.0.1:" + app.getLocalPort(), TOKEN);
        api.awaitEnd(api.runNow("canary"));
        String query =
            "http://127.0.0.1:" + amPort + "/api/v2/alerts?filter=alertname%3D%22canary-row%22";
        JsonNode firing =
            await("Alertmanager to have our alert")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get(query), a -> a.size() == 1);
        JsonNode alert = firing.get(0);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("canary-row");
        assertThat(alert.get("labels").get("target").asText()).isEqualTo("main");
        assertThat(alert.get("labels").get("object").asText()).isEqualTo("one");
        assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(alert.get("labels").get("job").asText()).isEqualTo("canary");
        assertThat(alert.get("annotations").get("summary").asText())
            .isEqualTo("canary row one is there");
        assertThat(alert.get("generatorURL").asText())
            .isEqualTo("https://ops.example.org/#/target/main");
        assertThat(alert.get("status").get("state").asText()).isEqualTo("active");
        Instant endsAt = Instant.parse(alert.get("endsAt").asText());
        // alive until four re-post intervals from its last post (8 s here), not for ever ...
        assertThat(endsAt).isBefore(Instant.now().plusSeconds(9));
        // ... and re-posted while it fires, so it lives on
        await("the alert re-posted")
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> Instant.parse(get(query).get(0).get("endsAt").asText()),
                later -> later.isAfter(endsAt.plusSeconds(2)));

        db.execute("DELETE FROM canary");
        api.awaitEnd(api.runNow("canary"));
        await("Alertmanager to see it resolved")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> get(query), a -> a.isEmpty());

        List<JsonNode> events =
            await("PagerDuty to get trigger and resolve")
                .atMost(Duration.ofSeconds(30))
                .until(() -> bodies(pagerduty), e -> e.size() == 2);
        pagerDutyEvent(events.get(0), "trigger");
        pagerDutyEvent(events.get(1), "resolve");
        assertThat(events.get(1).get("dedup_key")).isEqualTo(events.get(0).get("dedup_key"));

        List<JsonNode> payloads =
            await("the webhook to get both notifications")
                .atMost(Duration.ofSeconds(30))
                .until(() -> bodies(webhook), p -> p.size() == 2);
        JsonSchema schema =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(
                    JSON.readTree(Path.of("monitoring/webhook-payload.schema.json").toFile()));
        for (JsonNode p : payloads) {
          Set<ValidationMessage> errors = schema.validate(p);
          assertThat(errors).as(p.toString()).isEmpty();
        }
        assertThat(payloads.get(0).get("status").asText()).isEqualTo("firing");
        assertThat(payloads.get(1).get("status").asText()).isEqualTo("resolved");
        // the schema is strict enough to refuse what we do not send
        assertThat(schema.validate(JSON.readTree("{\"version\": \"1\", \"alerts\": []}")))
            .isNotEmpty();
      } finally {
        app.after();
      }
    } finally {
      am.destroy();
      am.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** The Events API v2 schema, as PagerDuty documents it. */
  static void pagerDutyEvent(JsonNode e, String action) {
    assertThat(e.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
    assertThat(e.get("event_action").asText()).isEqualTo(action);
    assertThat(e.get("dedup_key").asText()).isNotBlank().hasSizeLessThanOrEqualTo(255);
    if (action.equals("resolve")) {
      return;
    }
    JsonNode p = e.get("payload");
    assertThat(p.get("summary").asText()).isNotBlank().hasSizeLessThanOrEqualTo(1024);
    assertThat(p.get("source").asText()).isEqualTo("main");
    assertThat(p.get("severity").asText()).isIn("critical", "error", "warning", "info");
    assertThat(Instant.parse(p.get("timestamp").asText())).isBefore(Instant.now());
    assertThat(p.get("component").asText()).isEqualTo("one");
    assertThat(p.get("group").asText()).isEqualTo("canary");
    assertThat(p.get("class").asText()).isEqualTo("canary-row");
    assertThat(p.get("custom_details").get("message").asText())
        .isEqualTo("canary row one is there");
    assertThat(e.get("client_url").asText()).isEqualTo("https://ops.example.org/#/target/main");
  }

  static List<JsonNode> bodies(WebhookReceiver r) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (WebhookReceiver.Request q : r.accepted()) {
      out.add(JSON.readTree(q.body()));
    }
    return out;
  }

  static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
