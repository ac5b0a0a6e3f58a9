package io.pgvectorops.jobs.bloat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
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
import java.util.Locale;
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
  static final FindingKind INDEX_NOT_MODELLED =
      FindingKind.of("index-not-modelled", Severity.info, Severity.info);

  /** The Bloat kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named("bloat", BloatParams.class, (d, p, s) -> new BloatJob(p, s.inventory()))
          .needs(Needs.NOTHING.extension("vector"))
          .raises(
              INDEX_BLOAT,
              TABLE_BLOAT,
              AUTOVACUUM_LAG,
              REINDEX_LEFTOVER,
              INDEX_NOT_MODELLED,
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
      Metrics extra,
      boolean sumOfPartitions) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }

    double ratio() {
      return actualBytes <= 0 ? 0 : Math.max(0, 1 - (double) expectedBytes / actualBytes);
    }
  }

  /** What a bloat run looked at, and how; {@code estimates} lists every modelled vector index. */
  public record BloatSummary(
      @JsonInclude(JsonInclude.Include.NON_NULL) String pgstattupleError,
      @JsonInclude(JsonInclude.Include.NON_NULL) String pgstatindexError,
      int vectorIndexes,
      int vectorIndexesModelled,
      int tables,
      String tableMethod,
      int btreeIndexes,
      int invalidIndexes,
      int statements,
      List<IndexEstimate> estimates)
      implements JobSummary {}

  /** One vector index against the layout model. */
  public record IndexEstimate(String index, double ratio, long actualBytes, long expectedBytes) {}

  /** Table bloat from pgstattuple_approx for the largest tables, or why it could not be read. */
  private record MeasuredTables(Map<String, long[]> byTable, String method, String error) {}

  /** B-tree indexes measured by pgstatindex, or why they could not be. */
  private record MeasuredBtrees(List<Estimate> estimates, String error) {}

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
    List<IndexFacts> facts = VectorIndexes.read(jdbc, c, VectorIndexes.PGVECTOR, IndexFacts::from);
    List<Estimate> vectorIndexes = facts.stream().map(f -> vectorIndex(f, facts)).toList();
    List<Estimate> modelled = vectorIndexes.stream().filter(e -> e.expectedBytes() >= 0).toList();
    // a partitioned index is the sum of its partitions, each judged on its own
    modelled.stream()
        .filter(e -> !e.sumOfPartitions())
        .forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));
    saveModelled(ctx.target().name(), now, modelled);
    facts.stream().filter(BloatJob::unmodelled).map(BloatJob::notModelled).forEach(findings::add);

    MeasuredTables measured = measureTables(jdbc, c, pgstattuple);
    int tables = tables(jdbc, c, now, measured.byTable(), findings);
    MeasuredBtrees btrees = measureBtrees(jdbc, c, pgstattuple);
    List<String> measuredBtrees = btrees.estimates().stream().map(Estimate::object).toList();
    List<Estimate> allBtrees = new ArrayList<>(btrees.estimates());
    jdbc.query(c, SqlFile.load("probes/btree_index_estimate"), BloatJob::btreeEstimate).stream()
        .filter(e -> !measuredBtrees.contains(e.object()))
        .forEach(allBtrees::add);
    allBtrees.forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));
    int invalid = invalidIndexes(jdbc, c, findings);

    // extension check, layout, dead tuples, B-tree estimate, invalid indexes, and pgstattuple's
    int statements =
        5 + (measured.method() == null ? 0 : 1) + (btrees.error() == null && pgstattuple ? 1 : 0);
    return JobResult.succeeded(
        new BloatSummary(
            measured.error(),
            btrees.error(),
            vectorIndexes.size(),
            modelled.size(),
            tables,
            measured.method() == null ? "pg_stat_user_tables (estimate)" : measured.method(),
            allBtrees.size(),
            invalid,
            statements,
            modelled.stream()
                .map(
                    e ->
                        new IndexEstimate(
                            e.object(), round(e.ratio()), e.actualBytes(), e.expectedBytes()))
                .toList()),
        findings);
  }

  private void saveModelled(String target, Instant now, List<Estimate> modelled) {
    inventory.saveBloat(
        target,
        now,
        MODEL,
        modelled.stream().map(Estimate::schema).toList(),
        modelled.stream().map(Estimate::name).toList(),
        modelled.stream().map(Estimate::ratio).toList(),
        modelled.stream()
            .map(e -> e.actualBytes() - Math.min(e.actualBytes(), e.expectedBytes()))
            .toList());
  }

  private MeasuredTables measureTables(Jdbc jdbc, Connection c, boolean pgstattuple) {
    Map<String, long[]> measured = new LinkedHashMap<>();
    if (!pgstattuple) {
      return new MeasuredTables(measured, null, null);
    }
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
      return new MeasuredTables(
          measured,
          "pgstattuple_approx for the " + measured.size() + " largest, else pg_stat_user_tables",
          null);
    } catch (DbException e) {
      return new MeasuredTables(Map.of(), null, e.detail());
    }
  }

  private MeasuredBtrees measureBtrees(Jdbc jdbc, Connection c, boolean pgstattuple) {
    if (!pgstattuple) {
      return new MeasuredBtrees(List.of(), null);
    }
    try {
      return new MeasuredBtrees(
          jdbc.query(
              c,
              SqlFile.load("probes/btree_index_pgstatindex"),
              BloatJob::pgstatindex,
              p.pgstattupleLimit),
          null);
    } catch (DbException e) {
      return new MeasuredBtrees(List.of(), e.detail());
    }
  }

  private static Estimate vectorIndex(IndexFacts i, List<IndexFacts> all) {
    if (i.partitioned()) {
      return partitioned(i, all);
    }
    Metrics extra =
        Metrics.of().put("liveRows", i.elements() == null ? null : Math.round(i.elements()));
    i.options().forEach(extra::put);
    return new Estimate(
        i.schema(),
        i.name(),
        i.method() + " index on " + i.table(),
        i.actualBytes(),
        i.valid() ? i.expectedBytes() : -1,
        MODEL,
        extra,
        false);
  }

  /**
   * Never a silent skip: a valid index the model cannot size says why (an invalid one has its own
   * finding; a partitioned one is its partitions).
   */
  private static boolean unmodelled(IndexFacts f) {
    return f.valid() && !f.partitioned() && f.expectedBytes() < 0;
  }

  private static Finding notModelled(IndexFacts i) {
    String shape =
        i.method() + " index of " + i.type() + (i.dims() == null ? "" : "(" + i.dims() + ")");
    String why =
        i.elements() == null
            ? "its table has no row count yet (never analyzed): ANALYZE " + i.table()
            : "the size of its values is unknown (no dimensions, and no statistics of the column:"
                + " ANALYZE "
                + i.table()
                + ")";
    return Finding.info(
        i.object(),
        INDEX_NOT_MODELLED,
        "bloat of " + i.object() + " (" + shape + ") is not estimated: " + why,
        Map.of("shape", shape));
  }

  /** A partitioned index has no storage: the sum of its partitions' (unknown if any is). */
  private static Estimate partitioned(IndexFacts parent, List<IndexFacts> all) {
    List<Estimate> parts =
        all.stream()
            .filter(f -> Long.valueOf(parent.oid()).equals(f.parentOid()))
            .map(f -> vectorIndex(f, all))
            .toList();
    boolean known = !parts.isEmpty() && parts.stream().allMatch(e -> e.expectedBytes() >= 0);
    return new Estimate(
        parent.schema(),
        parent.name(),
        "partitioned " + parent.method() + " index on " + parent.table(),
        parts.stream().mapToLong(Estimate::actualBytes).sum(),
        known ? parts.stream().mapToLong(Estimate::expectedBytes).sum() : -1,
        MODEL,
        Metrics.of().put("partitions", parts.size()),
        true);
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
        Metrics.of().put("avgLeafDensity", round(density)),
        false);
  }

  private static Estimate btreeEstimate(ResultSet rs) throws SQLException {
    return new Estimate(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        "btree index on " + rs.getString("table_name"),
        rs.getLong("actual_bytes"),
        rs.getLong("expected_bytes"),
        "statistical estimate",
        Metrics.of(),
        false);
  }

  private void bloatFinding(Estimate e, FindingKind kind, List<Finding> findings) {
    double ratio = e.ratio();
    if (e.actualBytes() < p.minSize.toBytes() || ratio < p.warningRatio) {
      return;
    }
    long wasted = e.actualBytes() - e.expectedBytes();
    Metrics metrics =
        Metrics.of()
            .put("ratio", round(ratio))
            .put("wastedBytes", wasted)
            .put("actualBytes", e.actualBytes())
            .put("expectedBytes", e.expectedBytes())
            .put("method", e.method())
            .putAll(e.extra());
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
            metrics.asMap()));
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

  private int tables(
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
            .put("ratio", round(ratio))
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
            TABLE_BLOAT,
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
            AUTOVACUUM_LAG,
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
              Metrics metrics =
                  Metrics.of()
                      .put("sizeBytes", rs.getLong("size_bytes"))
                      .put("method", rs.getString("method"));
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
                      metrics.asMap()));
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
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
