package io.pgvectorops.jobs.capacity;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.common.Text;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Autovacuum of each table with an HNSW index. Until a vacuum comes, every row an update or a
 * delete left dead stays an element of the graph: scans spend ef_search on it (fewer rows, lower
 * recall) and the graph grows to hold live and dead rows, never shrinking without REINDEX. The
 * server's default scale factor (0.2) lets a fifth of a big table pile up that way; a table that is
 * updated or deleted from is advised a smaller one. Insert-only tables and small ones are left
 * alone.
 */
final class Autovacuum {
  static final String SCALE_FACTOR = "autovacuum_vacuum_scale_factor";

  private Autovacuum() {}

  /** One table with HNSW indexes, as capacity_hnsw_table_autovacuum reads it. */
  record HnswTable(
      String quoted,
      String name,
      long rows,
      long deadRows,
      long deadMakingWrites,
      long autovacuums,
      int hnswIndexes,
      long hnswBytes,
      double scaleFactor,
      boolean scaleFactorOwn,
      long threshold,
      boolean autovacuumOn,
      PgvectorVersions pgvector) {

    static HnswTable from(ResultSet rs) throws SQLException {
      double own = rs.getDouble("table_scale_factor");
      boolean hasOwn = !rs.wasNull();
      return new HnswTable(
          rs.getString("quoted_table"),
          rs.getString("table_name"),
          rs.getLong("rows"),
          rs.getLong("dead_rows"),
          rs.getLong("dead_making_writes"),
          rs.getLong("autovacuum_count"),
          rs.getInt("hnsw_indexes"),
          rs.getLong("hnsw_bytes"),
          hasOwn ? own : rs.getDouble("server_scale_factor"),
          hasOwn,
          rs.getLong("threshold"),
          rs.getBoolean("server_autovacuum") && rs.getBoolean("table_autovacuum"),
          new PgvectorVersions(rs.getString("pgvector"), rs.getString("pgvector_library")));
    }

    /** The dead rows at which autovacuum takes the table up. */
    long deadRowsAt(double scaleFactor) {
      return threshold + (long) Math.ceil(scaleFactor * rows);
    }
  }

  static List<Recommendation> of(Jdbc jdbc, Connection c, CapacityParams p, Advisories advisories) {
    return jdbc
        .query(c, SqlFile.load("probes/capacity_hnsw_table_autovacuum"), HnswTable::from)
        .stream()
        .map(t -> advice(t, p, advisories))
        .filter(Objects::nonNull)
        .toList();
  }

  /** Null when the table needs no advice: not updated or deleted from, small, or already set. */
  static Recommendation advice(HnswTable t, CapacityParams p, Advisories advisories) {
    if (t.deadMakingWrites() == 0 || t.rows() < p.autovacuumAdviceMinRows) {
      return null;
    }
    List<Advisory> defects = advisories.affecting(t.pgvector(), Advisories.Affects.HNSW_VACUUM);
    if (!t.autovacuumOn()) {
      return new Recommendation(
          "autovacuum on " + t.name(),
          "off",
          "on",
          "autovacuum does not vacuum "
              + t.name()
              + ": its dead rows stay elements of its HNSW graph until someone vacuums it"
              + " (index-rebuild's vacuumAfter does, after a rebuild)"
              + caveat(defects),
          measured(t));
    }
    if (t.scaleFactor() <= p.autovacuumScaleFactor) {
      return null;
    }
    String suggested = String.format(Locale.ROOT, "%s", p.autovacuumScaleFactor);
    return new Recommendation(
        SCALE_FACTOR + " on " + t.name(),
        String.format(
            Locale.ROOT, "%s (%s)", t.scaleFactor(), t.scaleFactorOwn() ? "table" : "server"),
        defects.isEmpty() ? suggested : suggested + " after upgrading pgvector",
        reason(t, p, suggested) + caveat(defects),
        measured(t));
  }

  private static String reason(HnswTable t, CapacityParams p, String suggested) {
    return String.format(
        Locale.ROOT,
        "autovacuum takes up %s once %,d of its %,d rows are dead; until then each dead row stays an"
            + " element of its HNSW graph (%d index(es), %s): searches spend ef_search on them"
            + " (fewer rows, lower recall) and the graph grows to hold them, never shrinking"
            + " without REINDEX. At %s that is %,d rows. Each vacuum still reads the whole index"
            + " three times; after a mass delete, index-rebuild's rebuild before vacuum is faster:"
            + " ALTER TABLE %s SET (%s = %s)",
        t.name(),
        t.deadRowsAt(t.scaleFactor()),
        t.rows(),
        t.hnswIndexes(),
        Text.size(t.hnswBytes()),
        suggested,
        t.deadRowsAt(p.autovacuumScaleFactor),
        t.quoted(),
        SCALE_FACTOR,
        suggested);
  }

  private static String caveat(List<Advisory> defects) {
    return defects.isEmpty()
        ? ""
        : "; but the installed pgvector's HNSW vacuum is defective ("
            + defects.get(0).id()
            + ": "
            + defects.get(0).summary()
            + "): vacuum it more often after the upgrade";
  }

  private static String measured(HnswTable t) {
    return String.format(
        Locale.ROOT,
        "%,d rows, %,d dead now, %,d rows updated (not HOT) or deleted and %,d autovacuums since"
            + " the statistics were reset, autovacuum_vacuum_threshold %d, pgvector %s"
            + " (pg_stat_all_tables, pg_class.reloptions)",
        t.rows(),
        t.deadRows(),
        t.deadMakingWrites(),
        t.autovacuums(),
        t.threshold(),
        t.pgvector().describe());
  }
}
