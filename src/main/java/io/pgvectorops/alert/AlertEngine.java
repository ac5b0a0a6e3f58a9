package io.pgvectorops.alert;

import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.scheduler.RunObserver;
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
public class AlertEngine implements RunObserver {
  private record OpenFinding(
      String object,
      String kind,
      Severity severity,
      String message,
      String metrics,
      Instant firstSeen,
      int timesSeen) {}

  /** What an alert's finding identifies: one object, one kind (on the job's target). */
  private record Identity(String object, String kind) {}

  /** An alert in this evaluation's notification, with the figures it is sent with. */
  private record Change(
      AlertRecord alert,
      Severity severity,
      String message,
      String metrics,
      Transition transition) {}

  /** The alerts of one job on one target, notified together. */
  private record JobOnTarget(String job, String target) {}

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
    boolean wrote =
        store
            .jdbc()
            .inTransaction(
                c -> {
                  List<Change> changes = new ArrayList<>();
                  Map<Identity, AlertRecord> firing = firing(c, job, target);
                  for (OpenFinding f : openFindings(c, job, target)) {
                    AlertRecord a = firing.remove(new Identity(f.object(), f.kind()));
                    Change change =
                        a == null ? fire(c, job, target, f, now) : refresh(c, a, f, now);
                    if (change != null) {
                      changes.add(change);
                    }
                  }
                  for (AlertRecord gone : firing.values()) {
                    holdOrResolve(c, gone, now, changes);
                  }
                  return notify(c, job.name(), target, runId, changes, now);
                });
    if (wrote) {
      onNotification.run();
    }
  }

  private List<OpenFinding> openFindings(Connection c, JobDefinition job, String target) {
    return store
        .jdbc()
        .query(
            c,
            SqlFile.load("store/alert_open_findings"),
            rs ->
                new OpenFinding(
                    rs.getString("object"),
                    rs.getString("kind"),
                    Severity.valueOf(rs.getString("severity")),
                    rs.getString("message"),
                    rs.getString("metrics"),
                    Rows.instant(rs, "first_seen"),
                    rs.getInt("times_seen")),
            job.name(),
            target);
  }

  private Map<Identity, AlertRecord> firing(Connection c, JobDefinition job, String target) {
    Map<Identity, AlertRecord> firing = new LinkedHashMap<>();
    store
        .jdbc()
        .query(c, SqlFile.load("store/alert_firing_of_job"), store::alert, job.name(), target)
        .forEach(a -> firing.put(new Identity(a.object(), a.kind()), a));
    return firing;
  }

  /** A new alert for an open finding past its `for`, or null (not yet, or another job's fires). */
  private Change fire(Connection c, JobDefinition job, String target, OpenFinding f, Instant now) {
    if (!eligible(job, f, now)) {
      return null;
    }
    List<Long> inserted =
        store
            .jdbc()
            .query(
                c,
                SqlFile.load("store/alert_insert"),
                rs -> rs.getLong(1),
                target,
                f.object(),
                f.kind(),
                job.name(),
                f.severity().name(),
                f.message(),
                f.metrics(),
                now,
                now);
    if (inserted.isEmpty()) {
      return null; // another job's alert for the same (target, object, kind) is firing
    }
    return new Change(
        firing(inserted.get(0), job, target, f, now),
        f.severity(),
        f.message(),
        f.metrics(),
        Transition.firing);
  }

  /** The alert as it was just inserted. */
  private static AlertRecord firing(
      long id, JobDefinition job, String target, OpenFinding f, Instant now) {
    return new AlertRecord(
        id,
        target,
        f.object(),
        f.kind(),
        job.name(),
        f.severity(),
        AlertState.firing,
        f.message(),
        null,
        now,
        now,
        null,
        null,
        null,
        null);
  }

  /** A firing alert whose finding is still open: notified again when due, else null. */
  private Change refresh(Connection c, AlertRecord a, OpenFinding f, Instant now) {
    store
        .jdbc()
        .update(
            c,
            SqlFile.load("store/alert_refresh"),
            f.severity().name(),
            f.message(),
            f.metrics(),
            now,
            a.id());
    Transition t =
        a.lastNotifiedAt() == null
            ? Transition.firing
            : f.severity() != a.notifiedSeverity()
                ? Transition.severity
                : !Duration.between(a.lastNotifiedAt(), now).minus(repeatInterval()).isNegative()
                    ? Transition.repeat
                    : null;
    return t == null ? null : new Change(a, f.severity(), f.message(), f.metrics(), t);
  }

  /** A firing alert whose finding is gone: resolved after keepFiringFor, held until then. */
  private void holdOrResolve(Connection c, AlertRecord gone, Instant now, List<Change> changes) {
    Instant since = gone.clearSince() == null ? now : gone.clearSince();
    if (Duration.between(since, now).compareTo(keepFiringFor()) >= 0) {
      resolve(c, gone, now, changes);
    } else if (gone.clearSince() == null) {
      store.jdbc().update(c, SqlFile.load("store/alert_clear"), now, gone.id());
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
          Map<JobOnTarget, List<AlertRecord>> byJobAndTarget = new LinkedHashMap<>();
          due.forEach(
              a ->
                  byJobAndTarget
                      .computeIfAbsent(new JobOnTarget(a.job(), a.target()), k -> new ArrayList<>())
                      .add(a));
          byJobAndTarget.forEach(
              (group, alerts) -> {
                List<Change> changes = new ArrayList<>();
                alerts.forEach(a -> resolve(c, a, now, changes));
                notify(c, group.job(), group.target(), null, changes, now);
              });
          return null;
        });
  }

  private void resolve(Connection c, AlertRecord a, Instant now, List<Change> changes) {
    store.jdbc().update(c, SqlFile.load("store/alert_resolve"), now, a.id());
    if (config.resolveNotifications && a.lastNotifiedAt() != null) {
      changes.add(
          new Change(
              a.resolvedAt(now),
              a.severity(),
              a.message(),
              a.metrics() == null ? "{}" : a.metrics().toString(),
              Transition.resolved));
    }
  }

  /** Default `for`: critical at once, warning when a second run still sees it. */
  private static boolean eligible(JobDefinition job, OpenFinding f, Instant now) {
    if (job.alertFor() != null) {
      return !Duration.between(f.firstSeen(), now).minus(job.alertFor()).isNegative();
    }
    return f.severity() == Severity.critical || f.timesSeen() >= 2;
  }

  /**
   * Writes one notification for the audible changes (silenced ones are left out) into the outbox,
   * with a delivery per channel.
   *
   * @return whether a notification was written
   */
  private NotificationPayload payload(
      String job, String target, Long runId, List<Change> audible, Instant now) {
    List<AlertEntry> entries = audible.stream().map(t -> entry(job, target, t)).toList();
    boolean allResolved = entries.stream().allMatch(e -> e.status() == AlertState.resolved);
    return new NotificationPayload(
        NotificationPayload.VERSION,
        UUID.randomUUID().toString(),
        allResolved ? AlertState.resolved : AlertState.firing,
        job,
        target,
        runId,
        now,
        entries);
  }

  private boolean notify(
      Connection c, String job, String target, Long runId, List<Change> changes, Instant now) {
    // most runs change no alert: then no silences are read (one statement per run)
    List<Silence> silences = changes.isEmpty() ? List.of() : store.activeSilences(c, now);
    List<Change> audible =
        changes.stream()
            .filter(
                t ->
                    silences.stream()
                        .noneMatch(s -> s.matches(target, t.alert().object(), t.alert().kind())))
            .toList();
    if (audible.isEmpty()) {
      return false;
    }
    enqueue(c, payload(job, target, runId, audible, now), audible, now);
    return true;
  }

  /**
   * The notification in the outbox with a delivery per channel, in the run's transaction: the
   * delivery worker sends it, once, however often it has to try.
   */
  private void enqueue(
      Connection c, NotificationPayload payload, List<Change> audible, Instant now) {
    Jdbc jdbc = store.jdbc();
    long id =
        jdbc.query(
                c,
                SqlFile.load("store/notification_insert"),
                rs -> rs.getLong(1),
                payload.idempotencyKey(),
                now,
                payload.job(),
                payload.target(),
                payload.runId(),
                payload.status().name(),
                Rows.toJson(store.mapper(), payload))
            .get(0);
    for (Change t : audible) {
      jdbc.update(
          c,
          SqlFile.load("store/notification_alert_insert"),
          id,
          t.alert().id(),
          t.transition().name());
    }
    for (String channel : channels) {
      jdbc.update(c, SqlFile.load("store/delivery_insert"), id, channel, now, now);
    }
    jdbc.update(
        c,
        SqlFile.load("store/alert_mark_notified"),
        now,
        audible.stream().map(t -> t.alert().id()).toArray(Long[]::new));
  }

  /** A firing alert as it stands, for re-posting it (Alertmanager). */
  AlertEntry firingEntry(AlertRecord a) {
    return entry(
        a.job(),
        a.target(),
        new Change(
            a,
            a.severity(),
            a.message(),
            a.metrics() == null ? "{}" : a.metrics().toString(),
            Transition.repeat));
  }

  private AlertEntry entry(String job, String target, Change t) {
    AlertRecord a = t.alert();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("target", target);
    labels.put("object", a.object());
    labels.put("kind", a.kind());
    labels.put("job", job);
    labels.put("severity", t.severity().name());
    JobDefinition definition = catalog.get(job).orElse(null);
    return new AlertEntry(
        a.id(),
        t.transition().state(),
        t.transition(),
        labels,
        t.message(),
        Rows.jsonOf(store.mapper(), t.metrics()),
        a.startedAt(),
        a.resolvedAt(),
        JobKinds.actionFor(
            a.kind(), a.object(), target, definition == null ? null : definition.name()));
  }

  private Duration repeatInterval() {
    return Duration.ofMillis(config.repeatInterval.toMilliseconds());
  }

  /** How long an alert keeps firing after its finding is gone (alerts.keepFiringFor). */
  public Duration keepFiringFor() {
    return Duration.ofMillis(config.keepFiringFor.toMilliseconds());
  }
}
