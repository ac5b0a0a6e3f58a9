package io.pgvectorops.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.pgvectorops.alert.DeliveryWorker;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.WebhookConfig;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.FakeKind;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finding-to-webhook latency: a run records a new critical finding; the time until the webhook
 * receiver holds the notification is measured, for N alerts, at several worker poll intervals.
 * Everything is real: PostgreSQL (the test facility's), the outbox, the worker on its timer, an
 * HTTP receiver on loopback. Usage: bench/alert-latency [alerts per row, default 200]
 */
public final class AlertLatencyBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    System.out.printf(
        "%-14s %7s %9s %9s %9s %9s%n",
        "pollInterval", "alerts", "p50 ms", "p90 ms", "p99 ms", "max ms");
    System.out.println(
        "(the worker is woken when this process writes a notification; the poll catches retries"
            + " and other instances' notifications)");
    for (long poll : new long[] {1000, 200, 50}) {
      List<Long> millis = measure(n, poll);
      System.out.printf(
          "%-14s %7d %9d %9d %9d %9d%n",
          poll + " ms",
          millis.size(),
          pct(millis, 50),
          pct(millis, 90),
          pct(millis, 99),
          millis.get(millis.size() - 1));
    }
    System.exit(0);
  }

  static List<Long> measure(int n, long pollMillis) throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("bench_alerts");
    try (WebhookReceiver receiver = new WebhookReceiver().start()) {
      OpsConfiguration config =
          Stack.config(db, "bench_state", Files.createTempDirectory("bench-jobs"));
      config.alerts.pollInterval = Duration.milliseconds(pollMillis);
      WebhookConfig hook = new WebhookConfig();
      hook.name = "bench";
      hook.url = receiver.url();
      config.alerts.webhooks.add(hook);
      Map<String, Instant> recorded = new HashMap<>();
      try (Components c = Stack.open(config, Clock.systemUTC())) {
        c.liveness.ensureHeld();
        DeliveryWorker worker =
            new DeliveryWorker(
                c.alerts,
                c.alertEngine,
                c.channels,
                config.alerts,
                Clock.systemUTC(),
                new MetricRegistry());
        worker.start();
        AtomicReference<String> object = new AtomicReference<>();
        JobDefinition job =
            new FakeKind(
                    "fake",
                    false,
                    ctx ->
                        JobResult.succeeded(
                            JobSummary.NONE,
                            List.of(
                                Finding.critical(
                                    object.get(),
                                    FakeKind.finding("invalid-index"),
                                    object.get() + " is invalid",
                                    Map.of()))))
                .definition("bench", null);
        for (int i = 0; i < n; i++) {
          object.set("public.index_" + i);
          RunOutcome o =
              Missing.succeeded(
                  "the bench job's run for " + object.get(),
                  c.runner.run(
                      job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false));
          recorded.put(object.get(), o.endedAt());
          Thread.sleep(20);
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (receiver.accepted().size() < n && Instant.now().isBefore(deadline)) {
          Thread.sleep(50);
        }
        worker.stop();
      }
      ObjectMapper json = new ObjectMapper();
      List<Long> out = new ArrayList<>();
      for (WebhookReceiver.Request r : receiver.accepted()) {
        for (var alert : json.readTree(r.body()).get("alerts")) {
          Instant at = recorded.get(alert.get("labels").get("object").asText());
          if (at != null) {
            out.add(java.time.Duration.between(at, r.receivedAt()).toMillis());
          }
        }
      }
      if (out.size() < n) {
        throw new IllegalStateException("only " + out.size() + " of " + n + " alerts arrived");
      }
      out.sort(Long::compare);
      return out;
    }
  }

  static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
