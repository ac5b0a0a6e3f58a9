package io.pgvectorops.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed with SIGKILL while its webhook receiver is failing: the notification waits in the
 * outbox, and when two new instances start at once it is delivered exactly once.
 */
@Slow
class OutboxCrashTest {
  @TempDir Path dir;

  @Test
  void pendingNotificationsSurviveKill9AndAreDeliveredOnceByTwoInstances() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("outbox");
    try (WebhookReceiver receiver = new WebhookReceiver().start()) {
      for (int i = 0; i < 1000; i++) {
        receiver.plan(new WebhookReceiver.Answer(500, 0));
      }
      OpsFiles f = new OpsFiles(dir);
      f.job("health.yml", "name: health\nkind: health\nschedule: '0/2 * * * * ?'\n");
      String common =
          OpsFiles.state(db, "outbox_state")
              + "scheduler:\n  name: outbox-test\n  checkinInterval: 1000ms\n"
              + "alerts:\n  retryInitial: 500ms\n  retryMax: 1s\n  pollInterval: 200ms\n  webhooks:\n"
              + "    - name: ops\n      url: "
              + receiver.url()
              + "\n      timeout: 2s\n";
      Path config = f.writeConfig(OpsFiles.deadTarget("down"), common);

      try (Daemon a = Daemon.start(dir, "a", config)) {
        await("the receiver to refuse two attempts", () -> receiver.requests().size() >= 2, a);
        a.kill9();
      }
      String key = receiver.requests().get(0).header("X-PgvectorOps-Idempotency-Key");
      assertThat(receiver.accepted()).isEmpty();

      receiver.clearPlan(); // from now on every request is answered 200
      Files.move(config, dir.resolve("b.yml"));
      Files.copy(dir.resolve("b.yml"), dir.resolve("c.yml"));
      try (Daemon b = Daemon.start(dir, "b", dir.resolve("b.yml"));
          Daemon c = Daemon.start(dir, "c", dir.resolve("c.yml"))) {
        await("the pending notification to be delivered", () -> !receiver.accepted().isEmpty(), b);
        // several more scheduled runs (each a chance for a second delivery) on the two instances
        int runsBefore = runsLogged(b, c);
        await("three more runs", () -> runsLogged(b, c) >= runsBefore + 3, b);
        Map<String, Long> acceptedPerKey =
            receiver.accepted().stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.header("X-PgvectorOps-Idempotency-Key"), Collectors.counting()));
        assertThat(acceptedPerKey).containsOnly(Map.entry(key, 1L));
        assertThat(b.log() + c.log()).doesNotContain("Exception in thread");
      }
    }
  }

  private static void await(String what, Callable<Boolean> condition, Daemon d) {
    org.awaitility.Awaitility.await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!d.isAlive()) {
                throw new AssertionError(what + ": the daemon died\n" + d.log());
              }
              return condition.call();
            });
  }

  /** Runs the two daemons logged as ended ("- run 12 succeeded in ..."). */
  private static int runsLogged(Daemon... daemons) throws java.io.IOException {
    int n = 0;
    for (Daemon d : daemons) {
      n += d.log().split(" - run \\d+ (succeeded|failed|skipped)", -1).length - 1;
    }
    return n;
  }
}
