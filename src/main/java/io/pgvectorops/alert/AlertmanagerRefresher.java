package io.pgvectorops.alert;

import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.common.Threads;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts every firing, unsilenced alert to each Alertmanager again every {@code
 * alerts.alertmanagerResendInterval}, as Prometheus re-sends its alerts: an Alertmanager resolves
 * an alert nobody posts any more, so a daemon that stops leaves no alert firing for ever. The
 * transitions themselves (firing, resolved) go through the durable outbox like every channel's.
 */
public class AlertmanagerRefresher implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerRefresher.class);

  private final AlertStore store;
  private final AlertEngine engine;
  private final List<AlertmanagerChannel> alertmanagers;
  private final Duration interval;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public AlertmanagerRefresher(
      AlertStore store,
      AlertEngine engine,
      List<AlertmanagerChannel> alertmanagers,
      Duration interval,
      Clock clock) {
    this.store = store;
    this.engine = engine;
    this.alertmanagers = alertmanagers;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public void start() {
    if (alertmanagers.isEmpty()) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(Threads.named("alertmanager-resend"));
    timer.scheduleWithFixedDelay(
        this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: the firing alerts to every Alertmanager; one that refuses waits for the next. */
  void refresh() {
    try {
      var silences = store.activeSilences(clock.instant());
      List<AlertEntry> firing =
          store.list(AlertState.firing.name(), 100_000).stream()
              .filter(
                  a ->
                      silences.stream().noneMatch(s -> s.matches(a.target(), a.object(), a.kind())))
              .map(engine::firingEntry)
              .toList();
      for (AlertmanagerChannel am : alertmanagers) {
        try {
          am.post(firing);
        } catch (Exception e) {
          LOG.warn(
              "{}: re-posting {} firing alert(s) failed: {}",
              am.id(),
              firing.size(),
              e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("alertmanager re-post: {}", e.getMessage());
    }
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
