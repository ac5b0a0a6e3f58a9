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
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.bloat.IndexEstimates.Estimate;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
      JobKind.named(
              "bloat",
              BloatParams.class,
              (d, p, s) -> new BloatJob(p, s.own(BloatStore.class), s.uses(RebuildHistory.class)))
          .keeps(BloatStore.class, BloatStore::new)
          .uses(RebuildHistory.class)
          .needs(Needs.NOTHING.extension("vector"))
          .raises(
              INDEX_BLOAT,
              TABLE_BLOAT,
              AUTOVACUUM_LAG,
              REINDEX_LEFTOVER,
              INDEX_NOT_MODELLED,
              SharedFindings.INVALID_INDEX,
              LongIndexVacuums.HNSW_VACUUM_RUNNING_LONG)
          .reports(BloatSummary.class)
          .build();

  static final String MODEL = "pgvector layout model";
  private final BloatParams p;
  private final BloatStore store;
  private final LongIndexVacuums vacuums;

  BloatJob(BloatParams params, BloatStore store, Optional<RebuildHistory> rebuilds) {
    this.p = params;
    this.store = store;
    this.vacuums = new LongIndexVacuums(params, rebuilds);
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
      int hnswIndexesBeingVacuumed,
      int statements,
      List<IndexEstimate> estimates)
      implements JobSummary {}

  /** One vector index against the layout model. */
  public record IndexEstimate(String index, double ratio, long actualBytes, long expectedBytes) {}

  /** Table bloat from pgstattuple_approx for the largest tables, or why it could not be read. */
  private record MeasuredTables(Map<String, long[]> byTable, String method, String error) {}

  /** B-tree indexes measured by pgstatindex, or why they could not be. */
  private record MeasuredBtrees(List<Estimate> estimates, String error) {}

  /** The vector indexes listed, and those the layout model could size. */
  private record VectorIndexesSeen(int listed, List<Estimate> modelled) {}

  /** How many B-tree indexes were judged, and why pgstatindex could not measure them if not. */
  private record Btrees(int judged, String error) {}

  @Override
  public JobResult run(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    Instant now = ctx.clock().instant();
    boolean pgstattuple = p.pgstattupleLimit > 0 && pgstattupleInstalled(jdbc, c);
    List<Finding> findings = new ArrayList<>();
    VectorIndexesSeen vector = vectorIndexes(ctx, findings);
    MeasuredTables measured = measureTables(jdbc, c, pgstattuple);
    int tables = new TableBloat(p).judge(jdbc, c, now, measured.byTable(), findings);
    Btrees btrees = btrees(jdbc, c, pgstattuple, findings);
    int invalid = InvalidIndexes.judge(jdbc, c, findings);
    int vacuumed = vacuums.judge(jdbc, c, ctx.target().name(), findings);
    // extension check, layout, dead tuples, B-tree estimate, invalid indexes, running vacuums, and
    // pgstattuple's
    int statements =
        6 + (measured.method() == null ? 0 : 1) + (btrees.error() == null && pgstattuple ? 1 : 0);
    return JobResult.succeeded(
        new BloatSummary(
            measured.error(),
            btrees.error(),
            vector.listed(),
            vector.modelled().size(),
            tables,
            measured.method() == null ? "pg_stat_user_tables (estimate)" : measured.method(),
            btrees.judged(),
            invalid,
            vacuumed,
            statements,
            vector.modelled().stream()
                .map(
                    e ->
                        new IndexEstimate(
                            e.object(), round(e.ratio()), e.actualBytes(), e.expectedBytes()))
                .toList()),
        findings);
  }

  private static boolean pgstattupleInstalled(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c, SqlFile.load("probes/extension_installed"), rs -> rs.getBoolean(1), "pgstattuple")
        .get(0);
  }

  /** Vector indexes against the layout model: findings, and the figures kept in the inventory. */
  private VectorIndexesSeen vectorIndexes(JobContext ctx, List<Finding> findings) {
    List<IndexFacts> facts =
        VectorIndexes.read(
            ctx.target().jdbc(), ctx.connection(), VectorIndexes.PGVECTOR, IndexFacts::from);
    List<Estimate> all = facts.stream().map(f -> IndexEstimates.vectorIndex(f, facts)).toList();
    List<Estimate> modelled = all.stream().filter(e -> e.expectedBytes() >= 0).toList();
    // a partitioned index is the sum of its partitions, each judged on its own
    modelled.stream()
        .filter(e -> !e.sumOfPartitions())
        .forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));
    saveModelled(ctx.target().name(), ctx.clock().instant(), modelled);
    facts.stream()
        .filter(IndexEstimates::unmodelled)
        .map(IndexEstimates::notModelled)
        .forEach(findings::add);
    return new VectorIndexesSeen(all.size(), modelled);
  }

  /** B-trees measured by pgstatindex where it can, the statistical estimate for the rest. */
  private Btrees btrees(Jdbc jdbc, Connection c, boolean pgstattuple, List<Finding> findings) {
    MeasuredBtrees measured = measureBtrees(jdbc, c, pgstattuple);
    List<String> names = measured.estimates().stream().map(Estimate::object).toList();
    List<Estimate> all = new ArrayList<>(measured.estimates());
    jdbc
        .query(c, SqlFile.load("probes/btree_index_estimate"), IndexEstimates::btreeEstimate)
        .stream()
        .filter(e -> !names.contains(e.object()))
        .forEach(all::add);
    all.forEach(e -> bloatFinding(e, INDEX_BLOAT, findings));
    return new Btrees(all.size(), measured.error());
  }

  private void saveModelled(String target, Instant now, List<Estimate> modelled) {
    store.save(
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
              IndexEstimates::pgstatindex,
              p.pgstattupleLimit),
          null);
    } catch (DbException e) {
      return new MeasuredBtrees(List.of(), e.detail());
    }
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

  static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
