package io.pgvectorops.jobs.slowqueries;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The slow-queries job's snapshots of pg_stat_statements and scan counters, per target. */
public class StatementSnapshots {
  /** One pg_stat_statements entry. Key: (userid, dbid, queryid, toplevel). */
  public record Entry(
      long userid,
      long dbid,
      long queryid,
      boolean toplevel,
      long calls,
      double totalMs,
      Double maxMs,
      long rows,
      long sharedBlksRead,
      long sharedBlksHit,
      long sharedBlksDirtied,
      Instant statsSince,
      String query) {
    public Key key() {
      return new Key(userid, dbid, queryid, toplevel);
    }

    /**
     * An entry from a row of the probe (the server's pg_stat_statements) or of our snapshot of it:
     * both name their columns alike.
     */
    public static Entry from(ResultSet rs) throws SQLException {
      return new Entry(
          rs.getLong("userid"),
          rs.getLong("dbid"),
          rs.getLong("queryid"),
          rs.getBoolean("toplevel"),
          rs.getLong("calls"),
          rs.getDouble("total_ms"),
          (Double) rs.getObject("max_ms"),
          rs.getLong("rows"),
          rs.getLong("shared_blks_read"),
          rs.getLong("shared_blks_hit"),
          rs.getLong("shared_blks_dirtied"),
          Rows.instant(rs, "stats_since"),
          rs.getString("query"));
    }

    /** What identifies an entry across snapshots. */
    public record Key(long userid, long dbid, long queryid, boolean toplevel) {}
  }

  public record TableScans(String schema, String table, long seqScan, long idxScan) {
    public String object() {
      return ObjectNames.qualified(schema, table);
    }
  }

  public record Baseline(
      Instant takenAt, Instant postmasterStart, Instant statsReset, Long dealloc) {}

  private final Jdbc jdbc;

  public StatementSnapshots(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<Baseline> baseline(String target) {
    return jdbc.queryOne(
        SqlFile.load("store/statement_baseline_get"),
        rs ->
            new Baseline(
                Rows.instant(rs, "taken_at"),
                Rows.instant(rs, "postmaster_start"),
                Rows.instant(rs, "stats_reset"),
                Rows.longOrNull(rs, "dealloc")),
        target);
  }

  public List<Entry> statements(String target, Instant takenAt) {
    return jdbc.query(SqlFile.load("store/statement_snapshot_at"), Entry::from, target, takenAt);
  }

  /** The lowest buffers per row seen of a write statement on a table with a vector index. */
  public record WriteCost(
      long queryid, String table, double buffersPerRow, long rows, Instant seenAt) {}

  public Map<Long, WriteCost> writeCostBaselines(String target) {
    Map<Long, WriteCost> out = new HashMap<>();
    jdbc.query(
            SqlFile.load("store/write_cost_baselines"),
            rs ->
                new WriteCost(
                    rs.getLong("queryid"),
                    rs.getString("table_name"),
                    rs.getDouble("buffers_per_row"),
                    rs.getLong("rows"),
                    Rows.instant(rs, "seen_at")),
            target)
        .forEach(w -> out.put(w.queryid(), w));
    return out;
  }

  /** Keeps a write cost as its statement's baseline when it is the first or the lowest seen. */
  public void lowerWriteCostBaseline(String target, WriteCost w) {
    jdbc.update(
        SqlFile.load("store/write_cost_baseline_put"),
        target,
        w.queryid(),
        w.table(),
        w.buffersPerRow(),
        w.rows(),
        w.seenAt());
  }

  public List<TableScans> scans(String target, Instant takenAt) {
    return jdbc.query(
        SqlFile.load("store/table_scan_snapshot_at"),
        rs ->
            new TableScans(
                rs.getString("schema_name"),
                rs.getString("table_name"),
                rs.getLong("seq_scan"),
                rs.getLong("idx_scan")),
        target,
        takenAt);
  }

  /**
   * Stores this run's snapshot as the next run's baseline and prunes old ones, in one transaction.
   */
  public void save(
      String target, Baseline b, List<Entry> entries, List<TableScans> scans, Instant pruneBefore) {
    jdbc.inTransaction(
        c -> {
          insert(c, target, b.takenAt(), entries, scans);
          jdbc.update(
              c,
              SqlFile.load("store/statement_baseline_put"),
              target,
              b.takenAt(),
              b.postmasterStart(),
              b.statsReset(),
              b.dealloc());
          jdbc.update(
              c, SqlFile.load("store/snapshots_prune"), target, pruneBefore, target, pruneBefore);
          return null;
        });
  }

  private void insert(
      Connection c, String target, Instant at, List<Entry> e, List<TableScans> scans) {
    jdbc.update(
        c,
        SqlFile.load("store/statement_snapshot_insert"),
        target,
        at,
        e.stream().map(Entry::userid).toArray(Long[]::new),
        e.stream().map(Entry::dbid).toArray(Long[]::new),
        e.stream().map(Entry::queryid).toArray(Long[]::new),
        e.stream().map(Entry::toplevel).toArray(Boolean[]::new),
        e.stream().map(Entry::calls).toArray(Long[]::new),
        e.stream().map(Entry::totalMs).toArray(Double[]::new),
        e.stream().map(Entry::maxMs).toArray(Double[]::new),
        e.stream().map(Entry::rows).toArray(Long[]::new),
        e.stream().map(Entry::sharedBlksRead).toArray(Long[]::new),
        e.stream().map(Entry::sharedBlksHit).toArray(Long[]::new),
        e.stream().map(Entry::sharedBlksDirtied).toArray(Long[]::new),
        // the driver binds no timestamp arrays: ISO text, cast in SQL
        e.stream()
            .map(x -> x.statsSince() == null ? null : x.statsSince().toString())
            .toArray(String[]::new),
        e.stream().map(Entry::query).toArray(String[]::new));
    jdbc.update(
        c,
        SqlFile.load("store/table_scan_snapshot_insert"),
        target,
        at,
        scans.stream().map(TableScans::schema).toArray(String[]::new),
        scans.stream().map(TableScans::table).toArray(String[]::new),
        scans.stream().map(TableScans::seqScan).toArray(Long[]::new),
        scans.stream().map(TableScans::idxScan).toArray(Long[]::new));
  }
}
