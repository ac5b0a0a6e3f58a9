package io.pgvectorops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dropwizard.util.Duration;
import io.pgvectorops.config.EmailConfig;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.WebhookConfig;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.FakeKind;
import io.pgvectorops.testing.SettableClock;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
import io.pgvectorops.testing.WebhookReceiver.Answer;
import io.pgvectorops.wiring.Components;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against a real SMTP server (GreenMail) and a real HTTP receiver, outages included. */
class DeliveryTest {
  static final String SECRET = "webhook-secret-for-tests";
  @TempDir Path dir;
  final SettableClock clock = new SettableClock(Instant.parse("2026-06-01T08:00:00Z"));
  Components c;
  DeliveryWorker worker;
  final MetricRegistry metrics = new MetricRegistry();
  GreenMail smtp;
  final WebhookReceiver json = new WebhookReceiver();
  final WebhookReceiver slack = new WebhookReceiver();

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    json.close();
    slack.close();
  }

  private void open(String schema, boolean email, boolean webhooks) throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("delivery");
    OpsConfiguration config = Stack.config(db, schema, dir.resolve("jobs"));
    config.alerts.retryInitial = Duration.seconds(10);
    config.alerts.retryMax = Duration.minutes(1);
    if (email) {
      int port = TestPostgres.closedPort();
      smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      EmailConfig e = new EmailConfig();
      e.host = "127.0.0.1";
      e.port = port;
      e.from = "pgvector-ops@example.org";
      e.to = List.of("oncall@example.org");
      e.timeout = Duration.seconds(5);
      config.alerts.email = e;
    }
    if (webhooks) {
      json.start();
      slack.start();
      config.alerts.webhooks.add(hook("ops", json.url(), "json", SECRET));
      config.alerts.webhooks.add(hook("chat", slack.url(), "slack", null));
    }
    c = Stack.open(config, clock);
    c.liveness.ensureHeld();
    worker = new DeliveryWorker(c.alerts, c.alertEngine, c.channels, config.alerts, clock, metrics);
  }

  private static WebhookConfig hook(String name, String url, String format, String secret) {
    WebhookConfig w = new WebhookConfig();
    w.name = name;
    w.url = url;
    w.format = format;
    w.secret = secret;
    w.timeout = Duration.seconds(1);
    w.headers = Map.of("X-Team", "search");
    return w;
  }

  /** A run that raises two critical findings: one notification. */
  private void fire() {
    JobDefinition job =
        new FakeKind(
                "fake",
                false,
                ctx ->
                    JobResult.succeeded(
                        JobSummary.NONE,
                        List.of(
                            Finding.critical(
                                "public.docs_hnsw",
                                FakeKind.finding("invalid-index"),
                                "public.docs_hnsw is INVALID",
                                Map.of("sizeBytes", 16392192)),
                            Finding.critical(
                                "public.items_ivf",
                                FakeKind.finding("invalid-index"),
                                "public.items_ivf is INVALID",
                                Map.of("sizeBytes", 1024)))))
            .definition("health", null);
    c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
  }

  /** Lets retries come due and runs the worker, as its timer would. */
  private void passTime(int minutes) {
    for (int i = 0; i < minutes; i++) {
      clock.advance(java.time.Duration.ofMinutes(1));
      worker.tick();
    }
  }

  /** The decoded text of the first part of a MIME type, however deeply the message nests it. */
  private static String part(jakarta.mail.Part p, String type) throws Exception {
    if (p.isMimeType(type)) {
      return (String) p.getContent();
    }
    if (p.getContent() instanceof jakarta.mail.Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        String found = part(mp.getBodyPart(i), type);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private Map<String, Long> statuses(String channel) {
    return c.alerts.deliveryCounts().getOrDefault(channel, Map.of());
  }

  @Test
  void smtpDownThenBackDeliversEachNotificationExactlyOnce() throws Exception {
    open("delivery_smtp", true, false);
    fire();
    worker.tick();
    passTime(2);
    assertThat(statuses("email")).containsEntry("pending", 1L);
    smtp.start();
    passTime(3);
    passTime(3);
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(statuses("email")).containsEntry("delivered", 1L).doesNotContainKey("pending");
    MimeMessage mail = received[0];
    assertThat(mail.getSubject())
        .isEqualTo("[pgvector-ops] FIRING: 2 critical on target main (job health)");
    String text = part(mail, "text/plain");
    assertThat(text)
        .contains("public.docs_hnsw is INVALID")
        .contains("sizeBytes=16392192")
        .contains("REINDEX INDEX CONCURRENTLY public.docs_hnsw")
        .contains("since 2026-06-01 08:00 UTC");
    assertThat(part(mail, "text/html"))
        .contains("<table")
        .contains("public.docs_hnsw is INVALID")
        .contains("REINDEX INDEX CONCURRENTLY public.docs_hnsw");
    assertThat(mail.getHeader("X-PgvectorOps-Idempotency-Key")).hasSize(1);
  }

  @Test
  void webhooksRetryOn500AndRefusedConnectionsAndSignTheirBody() throws Exception {
    open("delivery_hooks", false, true);
    json.plan(new Answer(500, 0), new Answer(503, 0));
    int slackPort = slack.port();
    slack.stop(); // refuses connections
    fire();
    worker.tick();
    passTime(3);
    assertThat(json.accepted()).hasSize(1);
    assertThat(statuses("webhook:chat")).containsEntry("pending", 1L);
    slack.start(slackPort);
    passTime(3);
    passTime(3);
    assertThat(json.requests()).hasSize(3);
    assertThat(json.accepted()).hasSize(1);
    assertThat(slack.accepted()).hasSize(1);
    assertThat(statuses("webhook:ops")).containsOnly(Map.entry("delivered", 1L));
    assertThat(statuses("webhook:chat")).containsOnly(Map.entry("delivered", 1L));
    assertThat(metrics.counter("alerts.deliveries.webhook_ops.sent").getCount()).isEqualTo(1);
    assertThat(metrics.counter("alerts.deliveries.webhook_ops.failed").getCount()).isEqualTo(2);
    assertThat(metrics.getGauges().get("alerts.deliveries.webhook_ops.pending").getValue())
        .isEqualTo(0L);

    WebhookReceiver.Request request = json.accepted().get(0);
    byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
    assertThat(request.header("X-PgvectorOps-Signature"))
        .isEqualTo("sha256=" + WebhookChannel.sign(SECRET, body));
    assertThat(request.header("X-Team")).isEqualTo("search");
    JsonNode payload = new ObjectMapper().readTree(body);
    // payload version 1 as documented in the README: exactly these fields
    assertThat(payload.fieldNames())
        .toIterable()
        .containsExactly(
            "version", "idempotencyKey", "status", "job", "target", "runId", "createdAt", "alerts");
    assertThat(payload.get("alerts").get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "alertId",
            "status",
            "transition",
            "labels",
            "message",
            "metrics",
            "startsAt",
            "resolvedAt",
            "suggestedAction");
    assertThat(payload.get("version").asText()).isEqualTo("1");
    assertThat(payload.get("status").asText()).isEqualTo("firing");
    assertThat(payload.get("idempotencyKey").asText())
        .isEqualTo(request.header("X-PgvectorOps-Idempotency-Key"));
    assertThat(payload.get("alerts")).hasSize(2);
    JsonNode alert = payload.get("alerts").get(0);
    assertThat(alert.get("labels").get("severity").asText()).isEqualTo("critical");
    assertThat(alert.get("labels").get("object").asText()).isEqualTo("public.docs_hnsw");
    assertThat(alert.get("metrics").get("sizeBytes").asLong()).isEqualTo(16392192);
    assertThat(alert.get("startsAt").asText()).isEqualTo("2026-06-01T08:00:00Z");
    assertThat(alert.get("suggestedAction").asText()).contains("REINDEX INDEX CONCURRENTLY");
    // every attempt carried the same key: a receiver can tell a repeat
    assertThat(json.requests())
        .extracting(r -> r.header("X-PgvectorOps-Idempotency-Key"))
        .containsOnly(request.header("X-PgvectorOps-Idempotency-Key"));

    JsonNode chat = new ObjectMapper().readTree(slack.accepted().get(0).body());
    assertThat(chat.get("text").asText())
        .isEqualTo("FIRING: 2 critical on target main (job health)");
    assertThat(chat.get("blocks").get(0).get("type").asText()).isEqualTo("header");
    assertThat(chat.get("blocks").get(1).get("text").get("text").asText())
        .contains("invalid-index")
        .contains("public.docs_hnsw");
  }

  @Test
  void aReceiverThatHangsPastTheTimeoutGetsItAgainWithTheSameKey() throws Exception {
    open("delivery_hang", false, true);
    json.plan(new Answer(200, 3000)); // answers after the 1 s timeout
    fire();
    worker.tick();
    assertThat(statuses("webhook:ops")).containsEntry("pending", 1L);
    org.awaitility.Awaitility.await("the receiver to finish the hung request")
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> json.requests().size() == 1);
    passTime(3);
    List<WebhookReceiver.Request> seen = json.requests();
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).header("X-PgvectorOps-Idempotency-Key"))
        .isEqualTo(seen.get(1).header("X-PgvectorOps-Idempotency-Key"));
    assertThat(statuses("webhook:ops")).containsOnly(Map.entry("delivered", 1L));
  }

  @Test
  void theTestNotificationReportsEachChannel() throws Exception {
    open("delivery_test", false, true);
    slack.stop();
    var resource =
        new io.pgvectorops.api.AlertsResource(
            c.alerts,
            c.alertEngine,
            c.channels,
            clock,
            new ObjectMapper().findAndRegisterModules());
    Map<String, Object> report = io.pgvectorops.testing.Summaries.json(resource.test());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> channels = (List<Map<String, Object>>) report.get("channels");
    assertThat(channels).hasSize(2);
    assertThat(channels.get(0)).containsEntry("channel", "webhook:ops").containsEntry("ok", true);
    assertThat(channels.get(1))
        .containsEntry("channel", "webhook:chat")
        .containsEntry("ok", false)
        .containsKey("error");
    assertThat(json.accepted())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).contains("test notification"));
    assertThat(statuses("webhook:ops"))
        .isEmpty(); // a test is sent directly, not through the outbox
  }

  @Test
  void aDeliveryOlderThanMaxAgeIsDeadAndReported() throws Exception {
    open("delivery_dead", false, true);
    c.config.alerts.maxDeliveryAge = Duration.minutes(5);
    worker =
        new DeliveryWorker(
            c.alerts, c.alertEngine, c.channels, c.config.alerts, clock, new MetricRegistry());
    json.stop();
    slack.stop();
    fire();
    worker.tick();
    passTime(10);
    assertThat(statuses("webhook:ops")).containsOnly(Map.entry("dead", 1L));
    var firing = c.alerts.list("firing", 10);
    var deliveries = c.alerts.deliveries(firing.stream().map(AlertRecord::id).toList());
    assertThat(deliveries.get(firing.get(0).id()))
        .anySatisfy(
            d -> {
              assertThat(d.status()).isEqualTo("dead");
              assertThat(d.attempts()).isGreaterThan(1);
              assertThat(d.lastError()).contains("Connect");
            });
  }
}
