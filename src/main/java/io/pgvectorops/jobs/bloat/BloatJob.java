package io.pgvectorops.jobs.bloat;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.InventoryStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bloat of vector tables and their indexes, read-only, in a fixed number of statements per run
 * whatever the number of objects: vector indexes against the pgvector layout model (pgstattuple
 * cannot read hnsw or ivfflat), tables from the statistics collector or pgstattuple_approx, B-tree
 * indexes from pgstatindex or the statistical estimate, and invalid indexes.
 */
public class BloatJob implements Job {
  static final FindingKind INDEX_BLOAT =
      FindingKind.of("index-bloat", Severity.warning, Severity.critical);
  static final FindingKind TABLE_BLOAT =
      FindingKind.of("table-bloat", Severity.warning, Severity.critical);
  static final FindingKind AUTOVACUUM_LAG =
      FindingKind.of("autovacuum-lag", Severity.warning, Severity.warning);
  static final FindingKind REINDEX_LEFTOVER =
      FindingKind.of("reindex-leftover", Severity.warning, Severity.critical);

  /** The Bloat kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named("bloat", BloatParams.class, (d, p, s) -> new BloatJob(p, s.inventory()))
          .needs(Needs.NOTHING.extension("vector"))
          .raises(
              INDEX_BLOAT,
              TABLE_BLOAT,
              AUTOVACUUM_LAG,
              REINDEX_LEFTOVER,
              SharedFindings.INVALID_INDEX)
          .build();

  static final String MODEL = "pgvector layout model";
  private final BloatParams p;
  private final InventoryStore inventory;

  BloatJob(BloatParams params, InventoryStore inventory) {
    this.p = params;
    this.inventory = inventory;
  }

  private record Estimate(
      String schema,
      String name,
      String what,
      long actualBytes,
      long expectedBytes,
      String method,
      Map<String, Object> extra) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }

    double ratio() {
      return actualBytes <= 0 ? 0 : Math.max(0, 1 - (double) expectedBytes / actualBytes);
    }
  }

  @Override
  public JobResult run(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    Instant now = ctx.clock().instant();
    boolean pgstattuple =
        p.pgstattupleLimit > 0
            && jdbc.query(
                    c,
                    SqlFile.load("probes/extension_installed"),
                    rs -> rs.getBoolean(1),
                    "pgstattuple")
                .get(0);
    List<Finding> findings = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    int statements = 1;

    List<Estimate> vectorIndexes =
        jdbc.query(c, SqlFile.load("probes/vector_index_layout"), BloatJob::vectorIndex);
    statements++;
    List<Estimate> modelled = vectorIndexes.stream().filter(e -> e.expectedBytes() >= 0).toList();
    modelled.forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));
    inventory.saveBloat(
        ctx.target().name(),
        now,
        MODEL,
        modelled.stream().map(Estimate::schema).toList(),
        modelled.stream().map(Estimate::name).toList(),
        modelled.stream().map(Estimate::ratio).toList(),
        modelled.stream()
            .map(e -> e.actualBytes() - Math.min(e.actualBytes(), e.expectedBytes()))
            .toList());

    String tableMethod = "pg_stat_user_tables (estimate)";
    Map<String, long[]> measured = new LinkedHashMap<>();
    if (pgstattuple) {
      try {
        jdbc.query(
            c,
            SqlFile.load("probes/table_pgstattuple_approx"),
            rs ->
                measured.put(
                    ObjectNames.qualified(rs.getString("schema_name"), rs.getString("table_name")),
                    new long[] {
                      rs.getLong("table_len"),
                      rs.getLong("dead_tuple_len"),
                      rs.getLong("approx_free_space")
                    }),
            p.allTables,
            p.pgstattupleLimit);
        statements++;
        tableMethod =
            "pgstattuple_approx for the " + measured.size() + " largest, else pg_stat_user_tables";
      } catch (DbException e) {
        summary.put("pgstattupleError", e.detail());
      }
    }
    int tables = tables(jdbc, c, now, measured, findings);
    statements++;

    List<Estimate> btrees = new ArrayList<>();
    if (pgstattuple) {
      try {
        btrees.addAll(
            jdbc.query(
                c,
                SqlFile.load("probes/btree_index_pgstatindex"),
                BloatJob::pgstatindex,
                p.pgstattupleLimit));
        statements++;
      } catch (DbException e) {
        summary.put("pgstatindexError", e.detail());
      }
    }
    List<String> measuredBtrees = btrees.stream().map(Estimate::object).toList();
    jdbc.query(c, SqlFile.load("probes/btree_index_estimate"), BloatJob::btreeEstimate).stream()
        .filter(e -> !measuredBtrees.contains(e.object()))
        .forEach(btrees::add);
    statements++;
    btrees.forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));

    int invalid = invalidIndexes(jdbc, c, findings);
    statements++;

    summary.put("vectorIndexes", vectorIndexes.size());
    summary.put("vectorIndexesModelled", modelled.size());
    summary.put("tables", tables);
    summary.put("tableMethod", tableMethod);
    summary.put("btreeIndexes", btrees.size());
    summary.put("invalidIndexes", invalid);
    summary.put("statements", statements);
    summary.put(
        "estimates",
        modelled.stream()
            .map(
                e ->
                    Map.of(
                        "index",
                        e.object(),
                        "ratio",
                        round(e.ratio()),
                        "actualBytes",
                        e.actualBytes(),
                        "expectedBytes",
                        e.expectedBytes()))
            .toList());
    return JobResult.succeeded(summary, findings);
  }

  private static Estimate vectorIndex(ResultSet rs) throws SQLException {
    IndexFacts i = IndexFacts.from(rs);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("liveRows", i.elements() == null ? null : Math.round(i.elements()));
    extra.putAll(i.options());
    return new Estimate(
        i.schema(),
        i.name(),
        i.method() + " index on " + i.table(),
        i.actualBytes(),
        i.valid() ? i.expectedBytes() : -1,
        MODEL,
        extra);
  }

  private static Estimate pgstatindex(ResultSet rs) throws SQLException {
    double density = rs.getDouble("avg_leaf_density") / 100.0;
    double full = rs.getInt("fillfactor") / 100.0;
    long actual = rs.getLong("actual_bytes");
    // a fresh B-tree has its leaves filled to fillfactor: the missing density is the waste
    long expected = (long) (actual * Math.min(1.0, density / full));
    return new Estimate(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        "btree index on " + rs.getString("table_name"),
        actual,
        expected,
        "pgstatindex",
        Map.of("avgLeafDensity", round(density)));
  }

  private static Estimate btreeEstimate(ResultSet rs) throws SQLException {
    return new Estimate(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        "btree index on " + rs.getString("table_name"),
        rs.getLong("actual_bytes"),
        rs.getLong("expected_bytes"),
        "statistical estimate",
        Map.of());
  }

  private void bloatFinding(Estimate e, FindingKind kind, List<Finding> findings) {
    double ratio = e.ratio();
    if (e.actualBytes() < p.minSize.toBytes() || ratio < p.warningRatio) {
      return;
    }
    long wasted = e.actualBytes() - e.expectedBytes();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("ratio", round(ratio));
    metrics.put("wastedBytes", wasted);
    metrics.put("actualBytes", e.actualBytes());
    metrics.put("expectedBytes", e.expectedBytes());
    metrics.put("method", e.method());
    metrics.putAll(e.extra());
    String message =
        e.what()
            + " "
            + e.object()
            + " is about "
            + Math.round(ratio * 100)
            + "% bloated ("
            + mb(wasted)
            + " of "
            + mb(e.actualBytes())
            + " would be reclaimed by REINDEX INDEX CONCURRENTLY; "
            + e.method()
            + ")";
    findings.add(
        Finding.of(
            e.object(),
            kind,
            ratio >= p.criticalRatio ? Finding.Severity.critical : Finding.Severity.warning,
            message,
            metrics));
  }

  private int tables(
      Jdbc jdbc, Connection c, Instant now, Map<String, long[]> measured, List<Finding> findings) {
    List<Integer> count = new ArrayList<>();
    jdbc.query(
        c,
        SqlFile.load("probes/table_dead_tuples"),
        rs -> {
          count.add(1);
          String table =
              ObjectNames.qualified(rs.getString("schema_name"), rs.getString("table_name"));
          long live = rs.getLong("live_tuples");
          long dead = rs.getLong("dead_tuples");
          long bytes = rs.getLong("table_bytes");
          long[] m = measured.get(table);
          // judged on dead tuples: space VACUUM has freed is reused by new rows, so it is reported,
          // not alarmed on
          double ratio =
              m != null && m[0] > 0
                  ? (double) m[1] / m[0]
                  : live + dead == 0 ? 0 : (double) dead / (live + dead);
          String method =
              m != null
                  ? "pgstattuple_approx (dead tuple bytes)"
                  : "pg_stat_user_tables (dead/live estimate)";
          Map<String, Object> metrics = new LinkedHashMap<>();
          metrics.put("ratio", round(ratio));
          metrics.put("deadTuples", dead);
          metrics.put("liveTuples", live);
          metrics.put("tableBytes", bytes);
          if (m != null) {
            metrics.put("deadTupleBytes", m[1]);
            metrics.put("freeBytes", m[2]);
          }
          metrics.put("method", method);
          if (bytes >= p.minSize.toBytes() && ratio >= p.warningRatio) {
            findings.add(
                Finding.of(
                    table,
                    TABLE_BLOAT,
                    ratio >= p.criticalRatio ? Finding.Severity.critical : Finding.Severity.warning,
                    "table "
                        + table
                        + " is about "
                        + Math.round(ratio * 100)
                        + "% dead"
                        + " tuples ("
                        + method
                        + "); VACUUM makes their space reusable",
                    metrics));
          }
          OffsetDateTime last = rs.getObject("last_vacuum", OffsetDateTime.class);
          double threshold = rs.getDouble("autovacuum_threshold");
          boolean stale =
              last == null
                  || Duration.between(last.toInstant(), now).toMinutes() >= p.autovacuumLagMinutes;
          if (dead > threshold && stale) {
            Map<String, Object> lag = new LinkedHashMap<>();
            lag.put("deadTuples", dead);
            lag.put("autovacuumThreshold", Math.round(threshold));
            lag.put("lastVacuum", last == null ? null : last.toInstant().toString());
            lag.put("autovacuumEnabled", rs.getBoolean("autovacuum_enabled"));
            findings.add(
                Finding.warning(
                    table,
                    AUTOVACUUM_LAG,
                    "table "
                        + table
                        + " has "
                        + dead
                        + " dead tuples, above"
                        + " its autovacuum threshold of "
                        + Math.round(threshold)
                        + ", and "
                        + (last == null
                            ? "has never been vacuumed"
                            : "was last vacuumed at " + last.toInstant())
                        + (rs.getBoolean("autovacuum_enabled")
                            ? ""
                            : " (autovacuum is disabled for it)")
                        + "; check autovacuum workers and long transactions",
                    lag));
          }
          return null;
        },
        p.allTables);
    return count.size();
  }

  private static int invalidIndexes(Jdbc jdbc, Connection c, List<Finding> findings) {
    return jdbc
        .query(
            c,
            SqlFile.load("probes/invalid_indexes"),
            rs -> {
              if (rs.getBoolean("build_in_progress")) {
                return 0;
              }
              String index =
                  ObjectNames.qualified(rs.getString("schema_name"), rs.getString("index_name"));
              boolean leftover = rs.getBoolean("reindex_leftover");
              boolean vector =
                  List.of("hnsw", "ivfflat", "diskann").contains(rs.getString("method"));
              Map<String, Object> metrics =
                  Map.of("sizeBytes", rs.getLong("size_bytes"), "method", rs.getString("method"));
              findings.add(
                  Finding.of(
                      index,
                      leftover ? REINDEX_LEFTOVER : SharedFindings.INVALID_INDEX,
                      vector ? Finding.Severity.critical : Finding.Severity.warning,
                      (leftover
                          ? "index "
                              + index
                              + " on "
                              + rs.getString("table_name")
                              + " is an INVALID leftover of a failed"
                              + " REINDEX CONCURRENTLY: DROP INDEX CONCURRENTLY it"
                          : "index "
                              + index
                              + " on "
                              + rs.getString("table_name")
                              + " is INVALID: queries do not use it but"
                              + " writes still maintain it; REINDEX INDEX CONCURRENTLY or drop it"),
                      metrics));
              return 1;
            })
        .stream()
        .mapToInt(Integer::intValue)
        .sum();
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
