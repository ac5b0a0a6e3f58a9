package io.pgvectorops.jobs.capacity;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import io.pgvectorops.sql.Identifiers;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Connection headroom and the production-readiness items, read from the server's settings. */
final class ServerChecks {
  static final FindingKind HEADROOM =
      FindingKind.of("connection-headroom", Severity.warning, Severity.critical);
  static final FindingKind READINESS = FindingKind.of("readiness", Severity.info, Severity.info);

  /** Share of the client slots in use from which headroom is a warning (the checklist's 80%). */
  static final double WARNING_SHARE = 0.8;

  /** Share from which it is critical. */
  static final double CRITICAL_SHARE = 0.95;

  private ServerChecks() {}

  /**
   * Client sessions by state against max_connections less the reserved slots, and their trend: the
   * daily peaks' growth (null with fewer than minHistoryDays days, {@code trendNote} says why) and
   * the day the peak reaches 80% of the allowed slots at that growth.
   */
  public record Connections(
      int maxConnections,
      int reserved,
      long sessions,
      long active,
      long idle,
      long idleInTransaction,
      @Shown(unit = Unit.percent) double used,
      Double trendPerDay,
      int trendDays,
      @Shown(label = "reaches 80%") LocalDate reaches80Percent,
      String trendNote) {}

  /** Records today's peak and fits the trend of the daily peaks. */
  static Connections withTrend(
      Connections k, SessionPeaks store, String target, LocalDate today, int minDays) {
    long allowed = k.maxConnections() - k.reserved();
    store.put(target, new SessionPeaks.SessionPeak(today, k.sessions(), allowed));
    var peaks = store.since(target, today.minusDays(store.historyDays()));
    Growth g =
        Growth.fit(peaks.stream().map(p -> new Growth.Point(p.day(), p.sessions())).toList());
    long peakToday =
        peaks.stream()
            .filter(p -> p.day().equals(today))
            .mapToLong(p -> p.sessions())
            .max()
            .orElse(k.sessions());
    if (g.days() < minDays) {
      return trend(
          k,
          null,
          g.days(),
          null,
          g.days() + " day(s) of peaks, fewer than minHistoryDays (" + minDays + "): no trend");
    }
    double room = WARNING_SHARE * allowed - peakToday;
    if (room <= 0) {
      return trend(k, g.perDay(), g.days(), today, "at or above 80% of the allowed slots already");
    }
    if (g.perDay() <= 0) {
      return trend(k, g.perDay(), g.days(), null, "not growing");
    }
    long days = (long) Math.ceil(room / g.perDay());
    return trend(k, g.perDay(), g.days(), today.plusDays(days), "in " + days + " day(s)");
  }

  private static Connections trend(
      Connections k, Double perDay, int days, LocalDate reaches, String note) {
    return new Connections(
        k.maxConnections(),
        k.reserved(),
        k.sessions(),
        k.active(),
        k.idle(),
        k.idleInTransaction(),
        k.used(),
        perDay,
        days,
        reaches,
        note);
  }

  /** A session idle in a transaction, by name. */
  public record IdleSession(
      int pid, String user, String application, @Shown(label = "idle for") long seconds) {}

  /** The sessions idle in a transaction, longest first (at most 20). */
  static List<IdleSession> idleInTransaction(Jdbc jdbc, Connection c) {
    return jdbc.query(
        c,
        SqlFile.load("probes/capacity_idle_in_transaction"),
        rs ->
            new IdleSession(
                rs.getInt("pid"),
                rs.getString("usename"),
                rs.getString("application_name"),
                rs.getLong("seconds")));
  }

  /** One readiness item: whether the server has it, and what to do otherwise. */
  public record Readiness(String item, boolean ok, String note) {}

  static Connections connections(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/capacity_connections"),
            rs -> {
              int max = rs.getInt("max_connections");
              int reserved = rs.getInt("reserved");
              long sessions = rs.getLong("sessions");
              return new Connections(
                  max,
                  reserved,
                  sessions,
                  rs.getLong("active"),
                  rs.getLong("idle"),
                  rs.getLong("idle_in_transaction"),
                  sessions / (double) Math.max(1, max - reserved),
                  null,
                  0,
                  null,
                  null);
            })
        .get(0);
  }

  static List<Readiness> readiness(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/capacity_readiness"),
            rs ->
                List.of(
                    preloaded(
                        (Boolean) rs.getObject("pg_stat_statements_loaded"), rs.getString("role")),
                    new Readiness(
                        "ssl",
                        rs.getBoolean("ssl_on"),
                        "ssl is off: sessions, passwords and vectors cross the network in clear"),
                    new Readiness(
                        "wal archiving",
                        rs.getBoolean("wal_archiving"),
                        "archive_mode is off or nothing archives: no point-in-time recovery"),
                    new Readiness(
                        "random_page_cost",
                        rs.getDouble("random_page_cost") < 4,
                        "random_page_cost is "
                            + rs.getDouble("random_page_cost")
                            + ", the default for spinning disks; on SSD storage 1.1 is usual (the"
                            + " storage is not visible over SQL)")))
        .get(0);
  }

  /** Whether pg_stat_statements is preloaded; null: the role may not read the setting. */
  private static Readiness preloaded(Boolean loaded, String role) {
    if (loaded == null) {
      return new Readiness(
          "pg_stat_statements",
          false,
          "cannot tell whether pg_stat_statements is in shared_preload_libraries: role "
              + role
              + " may not read that setting (GRANT pg_read_all_settings TO "
              + Identifiers.quote(role)
              + "; pg_monitor includes it)");
    }
    return new Readiness(
        "pg_stat_statements",
        loaded,
        "add pg_stat_statements to shared_preload_libraries (restart) and CREATE"
            + " EXTENSION pg_stat_statements: slow-queries needs it");
  }

  static List<Finding> findings(String target, Connections k, List<Readiness> items) {
    List<Finding> out = new ArrayList<>();
    if (k.used() >= WARNING_SHARE) {
      out.add(
          Finding.of(
              target,
              HEADROOM,
              k.used() >= CRITICAL_SHARE ? Severity.critical : Severity.warning,
              k.sessions()
                  + " client sessions of "
                  + (k.maxConnections() - k.reserved())
                  + " allowed (max_connections "
                  + k.maxConnections()
                  + " less "
                  + k.reserved()
                  + " reserved): "
                  + k.active()
                  + " active, "
                  + k.idle()
                  + " idle, "
                  + k.idleInTransaction()
                  + " idle in a transaction; a pooler (PgBouncer) or fewer idle sessions leave room",
              Metrics.of()
                  .put("sessions", k.sessions())
                  .put("allowed", k.maxConnections() - k.reserved())
                  .put("used", k.used())
                  .asMap()));
    }
    for (Readiness r : items) {
      if (!r.ok()) {
        out.add(Finding.info(r.item(), READINESS, r.note(), Metrics.of().asMap()));
      }
    }
    return out;
  }
}
