package io.pgvectorops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.pgvectorops.api.AlertsResource;
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
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Findings to alerts to notifications in the outbox, with a clock moved by hand. */
class AlertLifecycleTest {
  static TestPostgres.Database db;
  static Components c;
  static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-05-01T10:00:00Z"));
  @TempDir static Path dir;

  /** One notification as stored: its status and, per alert, "transition object". */
  record Sent(String job, String status, List<String> entries, int deliveries) {}

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("alerts");
    OpsConfiguration config = Stack.config(db, "alert_state", dir.resolve("jobs"));
    config.alerts.repeatInterval = Duration.hours(1);
    config.alerts.keepFiringFor = Duration.minutes(10);
    WebhookConfig hook = new WebhookConfig();
    hook.name = "ops";
    hook.url = "http://127.0.0.1:9/never-called";
    config.alerts.webhooks.add(hook);
    c = Stack.open(config, CLOCK);
    c.liveness.ensureHeld();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  /** A job whose next run reports whatever findings the test puts in {@code next}. */
  static final class Scripted {
    final AtomicReference<List<Finding>> next = new AtomicReference<>(List.of());
    final JobDefinition job;

    Scripted(String name, java.time.Duration alertFor) {
      JobDefinition d =
          new FakeKind("fake", false, ctx -> JobResult.succeeded(JobSummary.NONE, next.get()))
              .definition(name, null);
      job =
          new JobDefinition(
              d.name(),
              d.kind(),
              d.schedule(),
              d.targets(),
              d.selection(),
              null,
              false,
              null,
              "test",
              alertFor);
    }

    void run(Finding... findings) {
      next.set(List.of(findings));
      c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
    }
  }

  static Finding critical(String object) {
    return Finding.critical(
        object,
        FakeKind.finding("invalid-index"),
        object + " is invalid",
        Map.of("sizeBytes", 8192));
  }

  static Finding warning(String object) {
    return Finding.warning(
        object, FakeKind.finding("bloat"), object + " is bloated", Map.of("ratio", 0.42));
  }

  static List<Sent> sent(String job) throws Exception {
    List<Sent> out = new ArrayList<>();
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.job, n.status, (SELECT array_agg(na.transition || ' ' || a.object ORDER BY a.object)"
                    + "   FROM alert_state.notification_alert na JOIN alert_state.alert a ON a.id = na.alert_id"
                    + "   WHERE na.notification_id = n.id),"
                    + " (SELECT count(*) FROM alert_state.delivery d WHERE d.notification_id = n.id)"
                    + " FROM alert_state.notification n WHERE n.job = '"
                    + job
                    + "' ORDER BY n.id")) {
      while (rs.next()) {
        out.add(
            new Sent(
                rs.getString(1),
                rs.getString(2),
                List.of((String[]) rs.getArray(3).getArray()),
                rs.getInt(4)));
      }
    }
    return out;
  }

  @Test
  void criticalFiresAtOnceAndAWarningWhenASecondRunStillSeesIt() throws Exception {
    Scripted j = new Scripted("fire", null);
    j.run(critical("public.a"), warning("public.b"));
    assertThat(sent("fire"))
        .containsExactly(new Sent("fire", "firing", List.of("firing public.a"), 1));
    j.run(critical("public.a"), warning("public.b"));
    assertThat(sent("fire"))
        .hasSize(2)
        .last()
        .isEqualTo(new Sent("fire", "firing", List.of("firing public.b"), 1));
  }

  @Test
  void aRunsFindingsGoOutAsOneNotification() throws Exception {
    Scripted j = new Scripted("group", null);
    j.run(critical("public.x"), critical("public.y"), critical("public.z"));
    assertThat(sent("group"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.entries())
                  .containsExactly("firing public.x", "firing public.y", "firing public.z");
              assertThat(n.deliveries()).isEqualTo(1);
            });
  }

  @Test
  void repeatsAfterTheIntervalAndOnASeverityChangeOnly() throws Exception {
    Scripted j = new Scripted("repeat", null);
    j.run(critical("public.r"));
    CLOCK.advance(java.time.Duration.ofMinutes(30));
    j.run(critical("public.r"));
    assertThat(sent("repeat")).hasSize(1);
    CLOCK.advance(java.time.Duration.ofMinutes(31));
    j.run(critical("public.r"));
    assertThat(sent("repeat"))
        .hasSize(2)
        .last()
        .satisfies(n -> assertThat(n.entries()).containsExactly("repeat public.r"));
    j.run(
        Finding.warning(
            "public.r", FakeKind.finding("invalid-index"), "now only a warning", Map.of()));
    assertThat(sent("repeat"))
        .hasSize(3)
        .last()
        .satisfies(n -> assertThat(n.entries()).containsExactly("severity public.r"));
  }

  /** The firing alert on {@code object} as {@code GET /api/alerts} shows it. */
  private static AlertsResource.AlertView view(String object) {
    return new AlertsResource(c.alerts, c.alertEngine, c.channels, CLOCK, new ObjectMapper())
        .list("firing", null).stream()
            .filter(v -> v.alert().object().equals(object))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void aFlappingFindingDoesNotNotifyOnEveryFlipAndResolvesAfterTheHold() throws Exception {
    Scripted j = new Scripted("flap", null);
    j.run(critical("public.f"));
    for (int i = 0; i < 3; i++) {
      CLOCK.advance(java.time.Duration.ofMinutes(3));
      j.run(); // gone
      CLOCK.advance(java.time.Duration.ofMinutes(3));
      j.run(critical("public.f")); // back within the hold time
    }
    assertThat(sent("flap")).hasSize(1);
    assertThat(c.alerts.list("firing", 100)).extracting(AlertRecord::object).contains("public.f");
    assertThat(view("public.f").resolving()).as("its finding is back").isFalse();
    j.run();
    Instant gone = CLOCK.instant();
    CLOCK.advance(java.time.Duration.ofMinutes(9));
    // still firing, but shown as resolving, with when its hold ends
    AlertsResource.AlertView held = view("public.f");
    assertThat(held.alert().state()).isEqualTo(AlertState.firing);
    assertThat(held.resolving()).isTrue();
    assertThat(held.resolvesAt()).isEqualTo(gone.plus(java.time.Duration.ofMinutes(10)));
    new DeliveryWorker(
            c.alerts,
            c.alertEngine,
            c.channels,
            c.config.alerts,
            CLOCK,
            new com.codahale.metrics.MetricRegistry())
        .tick();
    assertThat(sent("flap")).hasSize(1);
    CLOCK.advance(java.time.Duration.ofMinutes(2));
    // the hold ends without another run of the job: the worker's tick resolves it
    c.alertEngine.resolveHeld();
    assertThat(sent("flap"))
        .hasSize(2)
        .last()
        .isEqualTo(new Sent("flap", "resolved", List.of("resolved public.f"), 1));
    assertThat(c.alerts.list("resolved", 100)).extracting(AlertRecord::object).contains("public.f");
  }

  @Test
  void silencedAlertsFireButNotifyNobodyUntilTheSilenceEnds() throws Exception {
    Scripted j = new Scripted("quiet", null);
    long id =
        c.alerts.addSilence(
            "main",
            null,
            "public.quiet_*",
            CLOCK.instant(),
            CLOCK.instant().plus(java.time.Duration.ofMinutes(20)),
            "maintenance",
            CLOCK.instant());
    j.run(critical("public.quiet_1"), critical("public.loud"));
    assertThat(sent("quiet"))
        .singleElement()
        .satisfies(n -> assertThat(n.entries()).containsExactly("firing public.loud"));
    assertThat(c.alerts.list("firing", 100))
        .extracting(AlertRecord::object)
        .contains("public.quiet_1");
    assertThat(c.alerts.expireSilence(id, CLOCK.instant())).isTrue();
    j.run(critical("public.quiet_1"), critical("public.loud"));
    assertThat(sent("quiet"))
        .hasSize(2)
        .last()
        .satisfies(n -> assertThat(n.entries()).containsExactly("firing public.quiet_1"));
  }

  @Test
  void aJobsForDelaysFiring() throws Exception {
    Scripted j = new Scripted("patient", java.time.Duration.ofMinutes(30));
    j.run(critical("public.p"));
    CLOCK.advance(java.time.Duration.ofMinutes(29));
    j.run(critical("public.p"));
    assertThat(sent("patient")).isEmpty();
    CLOCK.advance(java.time.Duration.ofMinutes(1));
    j.run(critical("public.p"));
    assertThat(sent("patient")).hasSize(1);
  }

  @Test
  void twoJobsSeeingTheSameProblemMakeOneAlert() throws Exception {
    Scripted first = new Scripted("first-seer", null);
    Scripted second = new Scripted("second-seer", null);
    first.run(critical("public.shared"));
    second.run(critical("public.shared"));
    assertThat(sent("first-seer")).hasSize(1);
    assertThat(sent("second-seer")).isEmpty();
    assertThat(c.alerts.list("firing", 100))
        .filteredOn(a -> a.object().equals("public.shared"))
        .hasSize(1);
  }

  @Test
  void infoFindingsNeverAlert() throws Exception {
    Scripted j = new Scripted("info", null);
    j.run(
        Finding.info(
            "vector", FakeKind.finding("pgvector-upgrade-available"), "upgrade", Map.of()));
    j.run(
        Finding.info(
            "vector", FakeKind.finding("pgvector-upgrade-available"), "upgrade", Map.of()));
    assertThat(sent("info")).isEmpty();
  }
}
