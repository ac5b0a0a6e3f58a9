package io.pgvectorops.alert;

import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns findings into alerts, the way Alertmanager does: an open warning or critical finding fires
 * (after its job's `for`), is notified again after repeatInterval or when its severity changes, and
 * resolves once its finding has been gone for keepFiringFor (so a flapping finding does not notify
 * on every flip). Each evaluation writes at most one notification, grouping the transitions of one
 * run of one job on one target, into the outbox, in the same transaction that changes the alerts:
 * nothing is lost or sent for a state that was rolled back.
 */
public class AlertEngine implements io.pgvectorops.scheduler.RunObserver {
  private record OpenFinding(
      String object,
      String kind,
      String severity,
      String message,
      String metrics,
      Instant firstSeen,
      int timesSeen) {}

  private record Transition(
      AlertRecord alert, String severity, String message, String metrics, String transition) {}

  private final AlertStore store;
  private final AlertsConfig config;
  private final List<String> channels;
  private final JobCatalog catalog;
  private final Clock clock;
  private volatile Runnable onNotification = () -> {};

  public AlertEngine(
      AlertStore store,
      AlertsConfig config,
      List<String> channels,
      JobCatalog catalog,
      Clock clock) {
    this.store = store;
    this.config = config;
    this.channels = List.copyOf(channels);
    this.catalog = catalog;
    this.clock = clock;
  }

  /** Called after a transaction that wrote a notification has committed (the worker wakes up). */
  public void onNotification(Runnable listener) {
    this.onNotification = listener;
  }

  /** Evaluates the alerts of one job on one target after a run recorded its findings. */
  @Override
  public void recorded(JobDefinition job, String target, long runId) {
    Instant now = clock.instant();
    Jdbc jdbc = store.jdbc();
    boolean wrote =
        jdbc.inTransaction(
            c -> {
              List<OpenFinding> open =
                  jdbc.query(
                      c,
                      SqlFile.load("store/alert_open_findings"),
                      rs ->
                          new OpenFinding(
                              rs.getString("object"),
                              rs.getString("kind"),
                              rs.getString("severity"),
                              rs.getString("message"),
                              rs.getString("metrics"),
                              Rows.instant(rs, "first_seen"),
                              rs.getInt("times_seen")),
                      job.name(),
                      target);
              Map<String, AlertRecord> firing = new LinkedHashMap<>();
              jdbc.query(
                      c,
                      SqlFile.load("store/alert_firing_of_job"),
                      store::alert,
                      job.name(),
                      target)
                  .forEach(a -> firing.put(a.object() + "\u0000" + a.kind(), a));
              List<Transition> transitions = new ArrayList<>();
              for (OpenFinding f : open) {
                AlertRecord a = firing.remove(f.object() + "\u0000" + f.kind());
                if (a == null) {
                  if (eligible(job, f, now)) {
                    List<Long> inserted =
                        jdbc.query(
                            c,
                            SqlFile.load("store/alert_insert"),
                            rs -> rs.getLong(1),
                            target,
                            f.object(),
                            f.kind(),
                            job.name(),
                            f.severity(),
                            f.message(),
                            f.metrics(),
                            now,
                            now);
                    if (inserted.isEmpty()) {
                      continue; // another job's alert for the same (target, object, kind) is firing
                    }
                    long id = inserted.get(0);
                    AlertRecord created =
                        new AlertRecord(
                            id,
                            target,
                            f.object(),
                            f.kind(),
                            job.name(),
                            f.severity(),
                            "firing",
                            f.message(),
                            null,
                            now,
                            now,
                            null,
                            null,
                            null,
                            null);
                    transitions.add(
                        new Transition(created, f.severity(), f.message(), f.metrics(), "firing"));
                  }
                  continue;
                }
                jdbc.update(
                    c,
                    SqlFile.load("store/alert_refresh"),
                    f.severity(),
                    f.message(),
                    f.metrics(),
                    now,
                    a.id());
                String t =
                    a.lastNotifiedAt() == null
                        ? "firing"
                        : !f.severity().equals(a.notifiedSeverity())
                            ? "severity"
                            : !Duration.between(a.lastNotifiedAt(), now)
                                    .minus(repeatInterval())
                                    .isNegative()
                                ? "repeat"
                                : null;
                if (t != null) {
                  transitions.add(new Transition(a, f.severity(), f.message(), f.metrics(), t));
                }
              }
              for (AlertRecord gone : firing.values()) {
                Instant since = gone.clearSince() == null ? now : gone.clearSince();
                if (Duration.between(since, now).compareTo(keepFiringFor()) >= 0) {
                  resolve(c, gone, now, transitions);
                } else if (gone.clearSince() == null) {
                  jdbc.update(c, SqlFile.load("store/alert_clear"), now, gone.id());
                }
              }
              return notify(c, job.name(), target, runId, transitions, now);
            });
    if (wrote) {
      onNotification.run();
    }
  }

  /**
   * Resolves alerts whose finding has been gone for keepFiringFor, whether or not their job ran
   * again.
   */
  public void resolveHeld() {
    Instant now = clock.instant();
    Jdbc jdbc = store.jdbc();
    jdbc.inTransaction(
        c -> {
          List<AlertRecord> due =
              jdbc.query(
                  c,
                  SqlFile.load("store/alert_held_due"),
                  store::alert,
                  now.minus(keepFiringFor()));
          Map<String, List<AlertRecord>> byJobAndTarget = new LinkedHashMap<>();
          due.forEach(
              a ->
                  byJobAndTarget
                      .computeIfAbsent(a.job() + "\u0000" + a.target(), k -> new ArrayList<>())
                      .add(a));
          for (List<AlertRecord> group : byJobAndTarget.values()) {
            List<Transition> transitions = new ArrayList<>();
            group.forEach(a -> resolve(c, a, now, transitions));
            notify(c, group.get(0).job(), group.get(0).target(), null, transitions, now);
          }
          return null;
        });
  }

  private void resolve(Connection c, AlertRecord a, Instant now, List<Transition> transitions) {
    store.jdbc().update(c, SqlFile.load("store/alert_resolve"), now, a.id());
    if (config.resolveNotifications && a.lastNotifiedAt() != null) {
      AlertRecord resolved =
          new AlertRecord(
              a.id(),
              a.target(),
              a.object(),
              a.kind(),
              a.job(),
              a.severity(),
              "resolved",
              a.message(),
              a.metrics(),
              a.startedAt(),
              a.lastSeenAt(),
              a.clearSince(),
              now,
              a.lastNotifiedAt(),
              a.notifiedSeverity());
      transitions.add(
          new Transition(
              resolved,
              a.severity(),
              a.message(),
              a.metrics() == null ? "{}" : a.metrics().toString(),
              "resolved"));
    }
  }

  /** Default `for`: critical at once, warning when a second run still sees it. */
  private static boolean eligible(JobDefinition job, OpenFinding f, Instant now) {
    if (job.alertFor() != null) {
      return !Duration.between(f.firstSeen(), now).minus(job.alertFor()).isNegative();
    }
    return f.severity().equals("critical") || f.timesSeen() >= 2;
  }

  /**
   * @return whether a notification was written
   */
  private boolean notify(
      Connection c,
      String job,
      String target,
      Long runId,
      List<Transition> transitions,
      Instant now) {
    List<Silence> silences = store.activeSilences(c, now);
    List<Transition> audible =
        transitions.stream()
            .filter(
                t ->
                    silences.stream()
                        .noneMatch(s -> s.matches(target, t.alert().object(), t.alert().kind())))
            .toList();
    if (audible.isEmpty()) {
      return false;
    }
    Jdbc jdbc = store.jdbc();
    JobDefinition definition = catalog.get(job).orElse(null);
    String key = UUID.randomUUID().toString();
    List<AlertEntry> entries = new ArrayList<>();
    for (Transition t : audible) {
      AlertRecord a = t.alert();
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("target", target);
      labels.put("object", a.object());
      labels.put("kind", a.kind());
      labels.put("job", job);
      labels.put("severity", t.severity());
      entries.add(
          new AlertEntry(
              a.id(),
              t.transition().equals("resolved") ? "resolved" : "firing",
              t.transition(),
              labels,
              t.message(),
              Rows.jsonOf(store.mapper(), t.metrics()),
              a.startedAt(),
              a.resolvedAt(),
              JobKinds.actionFor(
                  a.kind(), a.object(), target, definition == null ? null : definition.name())));
    }
    boolean allResolved = entries.stream().allMatch(e -> e.status().equals("resolved"));
    NotificationPayload payload =
        new NotificationPayload(
            NotificationPayload.VERSION,
            key,
            allResolved ? "resolved" : "firing",
            job,
            target,
            runId,
            now,
            entries);
    long id =
        jdbc.query(
                c,
                SqlFile.load("store/notification_insert"),
                rs -> rs.getLong(1),
                key,
                now,
                job,
                target,
                runId,
                payload.status(),
                Rows.toJson(store.mapper(), payload))
            .get(0);
    for (Transition t : audible) {
      jdbc.update(
          c, SqlFile.load("store/notification_alert_insert"), id, t.alert().id(), t.transition());
    }
    for (String channel : channels) {
      jdbc.update(c, SqlFile.load("store/delivery_insert"), id, channel, now, now);
    }
    jdbc.update(
        c,
        SqlFile.load("store/alert_mark_notified"),
        now,
        audible.stream().map(t -> t.alert().id()).toArray(Long[]::new));
    return true;
  }

  private Duration repeatInterval() {
    return Duration.ofMillis(config.repeatInterval.toMilliseconds());
  }

  private Duration keepFiringFor() {
    return Duration.ofMillis(config.keepFiringFor.toMilliseconds());
  }
}
