package io.pgvectorops.jobs.capacity;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
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

  /** Client sessions by state against max_connections less the reserved slots. */
  public record Connections(
      int maxConnections,
      int reserved,
      long sessions,
      long active,
      long idle,
      long idleInTransaction,
      double used) {}

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
                  sessions / (double) Math.max(1, max - reserved));
            })
        .get(0);
  }

  static List<Readiness> readiness(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/capacity_readiness"),
            rs ->
                List.of(
                    new Readiness(
                        "pg_stat_statements",
                        rs.getBoolean("pg_stat_statements_loaded"),
                        "add pg_stat_statements to shared_preload_libraries (restart) and CREATE"
                            + " EXTENSION pg_stat_statements: slow-queries needs it"),
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
