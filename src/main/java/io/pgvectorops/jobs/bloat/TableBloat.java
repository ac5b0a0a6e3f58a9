package io.pgvectorops.jobs.bloat;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Tables' dead tuples (pgstattuple_approx where measured, else the statistics collector's counts)
 * and autovacuum falling behind on them.
 */
final class TableBloat {
  private final BloatParams p;

  TableBloat(BloatParams p) {
    this.p = p;
  }

  /** One table's dead tuples and vacuum state, from the statistics collector. */
  private record TableRow(
      String table,
      long live,
      long dead,
      long bytes,
      Instant lastVacuum,
      double autovacuumThreshold,
      boolean autovacuumEnabled) {}

  int judge(
      Jdbc jdbc, Connection c, Instant now, Map<String, long[]> measured, List<Finding> findings) {
    List<TableRow> rows =
        jdbc.query(
            c,
            SqlFile.load("probes/table_dead_tuples"),
            rs -> {
              OffsetDateTime last = rs.getObject("last_vacuum", OffsetDateTime.class);
              return new TableRow(
                  ObjectNames.qualified(rs.getString("schema_name"), rs.getString("table_name")),
                  rs.getLong("live_tuples"),
                  rs.getLong("dead_tuples"),
                  rs.getLong("table_bytes"),
                  last == null ? null : last.toInstant(),
                  rs.getDouble("autovacuum_threshold"),
                  rs.getBoolean("autovacuum_enabled"));
            },
            p.allTables);
    for (TableRow row : rows) {
      tableBloat(row, measured.get(row.table()), findings);
      autovacuumLag(row, now, findings);
    }
    return rows.size();
  }

  /**
   * Judged on dead tuples: space VACUUM has freed is reused by new rows, so it is reported, not
   * alarmed on.
   */
  private void tableBloat(TableRow row, long[] m, List<Finding> findings) {
    long live = row.live();
    long dead = row.dead();
    double ratio =
        m != null && m[0] > 0
            ? (double) m[1] / m[0]
            : live + dead == 0 ? 0 : (double) dead / (live + dead);
    String method =
        m != null
            ? "pgstattuple_approx (dead tuple bytes)"
            : "pg_stat_user_tables (dead/live estimate)";
    if (row.bytes() < p.minSize.toBytes() || ratio < p.warningRatio) {
      return;
    }
    Metrics metrics =
        Metrics.of()
            .put("ratio", BloatJob.round(ratio))
            .put("deadTuples", dead)
            .put("liveTuples", live)
            .put("tableBytes", row.bytes());
    if (m != null) {
      metrics.put("deadTupleBytes", m[1]).put("freeBytes", m[2]);
    }
    metrics.put("method", method);
    findings.add(
        Finding.of(
            row.table(),
            BloatJob.TABLE_BLOAT,
            ratio >= p.criticalRatio ? Finding.Severity.critical : Finding.Severity.warning,
            "table "
                + row.table()
                + " is about "
                + Math.round(ratio * 100)
                + "% dead"
                + " tuples ("
                + method
                + "); VACUUM makes their space reusable",
            metrics.asMap()));
  }

  private void autovacuumLag(TableRow row, Instant now, List<Finding> findings) {
    Instant last = row.lastVacuum();
    double threshold = row.autovacuumThreshold();
    boolean stale =
        last == null || Duration.between(last, now).toMinutes() >= p.autovacuumLagMinutes;
    if (row.dead() <= threshold || !stale) {
      return;
    }
    Metrics lag =
        Metrics.of()
            .put("deadTuples", row.dead())
            .put("autovacuumThreshold", Math.round(threshold))
            .put("lastVacuum", last == null ? null : last.toString())
            .put("autovacuumEnabled", row.autovacuumEnabled());
    findings.add(
        Finding.warning(
            row.table(),
            BloatJob.AUTOVACUUM_LAG,
            "table "
                + row.table()
                + " has "
                + row.dead()
                + " dead tuples, above"
                + " its autovacuum threshold of "
                + Math.round(threshold)
                + ", and "
                + (last == null ? "has never been vacuumed" : "was last vacuumed at " + last)
                + (row.autovacuumEnabled() ? "" : " (autovacuum is disabled for it)")
                + "; check autovacuum workers and long transactions",
            lag.asMap()));
  }
}
