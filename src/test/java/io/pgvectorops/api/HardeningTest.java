package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.InProcess;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.RawHttp;
import io.pgvectorops.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The reproductions of the hardening issue, each answered in plain words: control characters and
 * far dates are 400s (not "database unavailable"), big bodies 413, a token in the URL is refused
 * and never logged or stored, JSON errors name the field, Jetty's own errors are JSON, silences
 * have limits, and a burst of "run now" starts one run.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HardeningTest {
  static final String OPERATOR = "operator-token-hardening-0123456";
  static final InProcess.Setup SETUP =
      InProcess.setup(
          "hardening",
          // a target that is down: its health run raises an alert for the silences to match
          OpsFiles.deadTarget("down"),
          "api:\n  tokens:\n    - {name: ops, token: "
              + OPERATOR
              + ", role: operator}\n"
              + "alerts:\n  maxSilences: 3\n  maxSilenceDuration: 30d\n"
              + "scheduler:\n  name: hardening-test\n");
  static final TestPostgres.Database DB = SETUP.db();

  static final DropwizardAppExtension<OpsConfiguration> APP = InProcess.daemon(SETUP.dir());

  private final ObjectMapper json = new ObjectMapper();

  RawHttp.Answer send(String method, String target, String body) throws Exception {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", "Bearer " + OPERATOR);
    if (body != null) {
      h.put("Content-Type", "application/json");
    }
    return RawHttp.send(
        APP.getLocalPort(),
        method,
        target,
        h,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  String message(RawHttp.Answer a) throws Exception {
    assertThat(a.contentType()).as(a.body()).startsWith("application/json");
    return json.readTree(a.body()).get("message").asText();
  }

  static String in(long days) {
    return Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Test
  void controlCharactersAndFarDatesAre400sAndTheirAuditEntryIsKept() throws Exception {
    for (String path :
        List.of(
            "/api/findings?target=a%00b",
            "/api/audit?action=%00", "/api/regression/series?target=main&index=x%01y")) {
      RawHttp.Answer a = send("GET", path, null);
      assertThat(a.status()).as(path + " " + a.body()).isEqualTo(400);
      assertThat(message(a)).contains("control character");
    }
    RawHttp.Answer run = send("POST", "/api/jobs/health/run?target=ma%00in", null);
    assertThat(run.status()).isEqualTo(400);
    assertThat(
            DB.queryLong(
                "SELECT count(*) FROM hardening_state.audit WHERE action = 'run-now'"
                    + " AND object LIKE '%ma%00in%' AND status = 400"))
        .as("the refused call's audit entry, as sent")
        .isEqualTo(1);
    RawHttp.Answer nul =
        send(
            "POST",
            "/api/silences",
            "{\"kind\":\"x\",\"comment\":\"a\\u0000b\",\"endsAt\":\"" + in(1) + "\"}");
    assertThat(nul.status()).isEqualTo(400);
    assertThat(message(nul)).contains("comment").contains("control character");
    RawHttp.Answer far =
        send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAt\":\"+999999999-01-01T00:00:00Z\"}");
    assertThat(far.status()).as(far.body()).isEqualTo(400);
    assertThat(message(far)).contains("maxSilenceDuration");
    RawHttp.Answer year10000 =
        send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAt\":\"+10000-01-01T00:00:00Z\"}");
    assertThat(year10000.status()).isEqualTo(400);
  }

  @Test
  void jsonErrorsNameTheFieldAndBigBodiesAreRefusedUnread() throws Exception {
    RawHttp.Answer unknown =
        send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAtt\":\"" + in(1) + "\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(message(unknown)).contains("unknown field 'endsAtt'").contains("endsAt");
    RawHttp.Answer type = send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAt\":\"soon\"}");
    assertThat(type.status()).isEqualTo(400);
    assertThat(message(type)).contains("endsAt").contains("ISO-8601");
    RawHttp.Answer broken = send("POST", "/api/silences", "{\"kind\":");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(message(broken)).contains("malformed JSON");
    RawHttp.Answer deep = send("POST", "/api/silences", "[".repeat(5000) + "]".repeat(5000));
    assertThat(deep.status()).isEqualTo(400);
    message(deep);
    RawHttp.Answer big =
        send("POST", "/api/silences", "{\"comment\":\"" + "x".repeat(10_000_000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(message(big)).contains("at most 1048576");
    RawHttp.Answer longUri = send("GET", "/api/findings?target=" + "x".repeat(20_000), null);
    assertThat(longUri.status()).isEqualTo(414);
    message(longUri);
    RawHttp.Answer bigHeader =
        RawHttp.send(APP.getLocalPort(), "GET", "/api/status", Map.of("X-Big", "y".repeat(20_000)));
    assertThat(bigHeader.status()).isEqualTo(431);
    message(bigHeader);
    RawHttp.Answer notFound = send("GET", "/api/nothing-here", null);
    assertThat(notFound.status()).isEqualTo(404);
    message(notFound);
  }

  @Test
  void aTokenInTheUrlIsRefusedAndNeverWrittenAnywhere() throws Exception {
    String secret = "zz-secret-in-a-url-0123456789";
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    root.addAppender(lines);
    try {
      for (String path :
          List.of(
              "/api/status?token=" + secret,
              "/api/jobs/health/run?access_token=" + secret,
              "/api/silences?api_key=" + secret)) {
        RawHttp.Answer a =
            RawHttp.send(APP.getLocalPort(), path.contains("run") ? "POST" : "GET", path, Map.of());
        assertThat(a.status()).as(path).isEqualTo(400);
        assertThat(message(a)).contains("Authorization");
        assertThat(a.body()).doesNotContain(secret);
      }
    } finally {
      root.detachAppender(lines);
    }
    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(l -> l.contains(secret));
    assertThat(
            DB.queryLong(
                "SELECT count(*) FROM hardening_state.audit WHERE object LIKE '%" + secret + "%'"))
        .isZero();
    assertThat(
            DB.queryLong(
                "SELECT count(*) FROM hardening_state.audit WHERE object LIKE '%access_token=[redacted]%'"))
        .isEqualTo(1);
  }

  /** The timeout only catches a hang: the regular expressions used before would take years here. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void silencesHaveLimitsAndTheListIsPagedNotCut() throws Exception {
    RawHttp.Answer unknownTarget =
        send("POST", "/api/silences", "{\"target\":\"nowhere\",\"endsAt\":\"" + in(1) + "\"}");
    assertThat(unknownTarget.status()).isEqualTo(400);
    assertThat(message(unknownTarget)).contains("no target named 'nowhere'");
    RawHttp.Answer tooLong =
        send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAt\":\"" + in(31) + "\"}");
    assertThat(tooLong.status()).isEqualTo(400);
    ApiClient api = new ApiClient("http://127.0.0.1:" + APP.getLocalPort(), OPERATOR);
    api.awaitRunsEnded("health");
    api.awaitEnd(healthOf("down"));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RawHttp.Answer ok =
          send(
              "POST",
              "/api/silences",
              "{\"objectPattern\":\"" + "*".repeat(499) + "#\",\"endsAt\":\"" + in(1) + "\"}");
      assertThat(ok.status()).as(ok.body()).isEqualTo(201);
      ids.add(json.readTree(ok.body()).get("id").asLong());
    }
    RawHttp.Answer fourth =
        send("POST", "/api/silences", "{\"kind\":\"x\",\"endsAt\":\"" + in(1) + "\"}");
    assertThat(fourth.status()).isEqualTo(409);
    assertThat(message(fourth)).contains("alerts.maxSilences (3)");
    // hundreds of stars against every alert's object, in a run's alert evaluation and in the
    // reads: each ends (a backtracking regular expression of them would take years)
    assertThat(api.awaitEnd(healthOf("down")).get("status").asText()).isEqualTo("failed");
    RawHttp.Answer alerts = send("GET", "/api/alerts", null);
    assertThat(alerts.status()).isEqualTo(200);
    assertThat(json.readTree(alerts.body()))
        .as("the down target's alert, firing and not silenced (no object ends with #)")
        .anySatisfy(
            a -> {
              assertThat(a.get("alert").get("target").asText()).isEqualTo("down");
              assertThat(a.get("silenced").asBoolean()).isFalse();
            });
    assertThat(send("GET", "/api/status", null).status()).isEqualTo(200);

    assertThat(send("DELETE", "/api/silences/" + ids.get(0), null).status()).isEqualTo(200);
    RawHttp.Answer page = send("GET", "/api/silences?state=all&limit=2", null);
    JsonNode first = json.readTree(page.body());
    assertThat(first).hasSize(2);
    String link = page.header("Link");
    assertThat(link)
        .isEqualTo(
            "</api/silences?state=all&limit=2&before="
                + first.get(1).get("id").asLong()
                + ">; rel=\"next\"");
    RawHttp.Answer rest = send("GET", link.substring(1, link.indexOf('>')), null);
    assertThat(rest.header("Link")).as("the last page names no next").isNull();
    assertThat(json.readTree(rest.body()))
        .extracting(n -> n.get("id").asLong())
        .containsExactly(ids.get(0));
  }

  @Test
  void aBurstOfRunNowStartsOneRunAndNamesItToTheOthers() throws Exception {
    new ApiClient("http://127.0.0.1:" + APP.getLocalPort(), OPERATOR).awaitRunsEnded("health");
    long before = DB.queryLong("SELECT count(*) FROM hardening_state.job_run");
    int n = 30;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RawHttp.Answer>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return send("POST", "/api/jobs/health/run?target=main", null);
                }));
      }
      go.countDown();
      int accepted = 0;
      int conflicts = 0;
      for (Future<RawHttp.Answer> f : answers) {
        RawHttp.Answer a = f.get();
        if (a.status() == 202) {
          accepted++;
        } else {
          assertThat(a.status()).as(a.body()).isEqualTo(409);
          assertThat(message(a)).contains("is running").contains("/api/runs/");
          conflicts++;
        }
      }
      assertThat(accepted).isPositive();
      assertThat(conflicts).isPositive();
      assertThat(DB.queryLong("SELECT count(*) FROM hardening_state.job_run") - before)
          .as("one run row per accepted request")
          .isEqualTo(accepted);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Starts a health run on a target and answers its id. */
  long healthOf(String target) throws Exception {
    RawHttp.Answer a = send("POST", "/api/jobs/health/run?target=" + target, null);
    assertThat(a.status()).as(a.body()).isEqualTo(202);
    return json.readTree(a.body()).get("runId").asLong();
  }

  @Test
  void anIndexWhoseNameHoldsASlashIsReachedByQuery() throws Exception {
    RawHttp.Answer a = send("GET", "/api/regression/series?target=main&index=public.a%2Fb", null);
    assertThat(a.status()).isEqualTo(404);
    assertThat(message(a)).contains("index 'public.a/b'");
    RawHttp.Answer missing = send("GET", "/api/regression/series?target=main", null);
    assertThat(missing.status()).isEqualTo(400);
  }

  @Test
  void aFormPostFromAnotherSiteIsRefused() throws Exception {
    RawHttp.Answer form =
        RawHttp.send(
            APP.getLocalPort(),
            "POST",
            "/api/jobs/health/run",
            Map.of(
                "Authorization",
                "Bearer " + OPERATOR,
                "Content-Type",
                "application/x-www-form-urlencoded"),
            "a=b".getBytes(StandardCharsets.UTF_8));
    assertThat(form.status()).isEqualTo(415);
    RawHttp.Answer foreign =
        RawHttp.send(
            APP.getLocalPort(),
            "POST",
            "/api/silences",
            Map.of(
                "Authorization", "Bearer " + OPERATOR,
                "Origin", "https://evil.example",
                "Content-Type", "application/json"),
            ("{\"kind\":\"x\",\"endsAt\":\"" + in(1) + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(message(foreign)).contains("another origin");
    RawHttp.Answer own =
        RawHttp.send(
            APP.getLocalPort(),
            "POST",
            "/api/alerts/test",
            Map.of(
                "Authorization", "Bearer " + OPERATOR,
                "Origin", "http://127.0.0.1:" + APP.getLocalPort()),
            null);
    assertThat(own.status()).as(own.body()).isEqualTo(200);
  }
}
