package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.jobs.regression.RegressionParams.GroundTruthMethod;
import io.pgvectorops.jobs.regression.RegressionParams.ProbeSetParams;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.sql.SqlText;
import io.pgvectorops.state.RegressionStore;
import io.pgvectorops.state.RegressionStore.Baseline;
import io.pgvectorops.state.RegressionStore.GroundTruth;
import io.pgvectorops.state.RegressionStore.Point;
import io.pgvectorops.state.RegressionStore.Probe;
import io.pgvectorops.state.RegressionStore.ProbeSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Measures whether each vector index still returns the right neighbours, how fast, and whether that
 * is getting worse: fixed probe sets, exact ground truth (cached while the table is stable),
 * recall@k and latency of the application's own query, a plan check, baselines, regressions over
 * consecutive runs, and a sweep of ef_search / probes for tuning advice. Read-only on the target:
 * every measurement runs in one REPEATABLE READ READ ONLY transaction per probe set.
 */
public class RegressionJob implements Job {
  static final FindingKind REGRESSION_CONFIG =
      FindingKind.of("regression-config", Severity.warning, Severity.warning);
  static final FindingKind PLAN_REGRESSION =
      FindingKind.of("plan-regression", Severity.critical, Severity.critical);
  static final FindingKind PLAN_NOT_USING_INDEX =
      FindingKind.of("plan-not-using-index", Severity.warning, Severity.warning);
  static final FindingKind RECALL_REGRESSION =
      FindingKind.of("recall-regression", Severity.warning, Severity.critical);
  static final FindingKind LATENCY_REGRESSION =
      FindingKind.of("latency-regression", Severity.warning, Severity.warning);
  static final FindingKind FILTERED_SEARCH_STARVED =
      FindingKind.of("filtered-search-starved", Severity.warning, Severity.warning);
  static final FindingKind TUNING_ADVICE =
      FindingKind.of("tuning-advice", Severity.info, Severity.info);

  /**
   * The Regression kind: registered in kinds/JobKinds. Read-only on the target (it measures a
   * standby's indexes too); its own records go to the state schema.
   */
  public static final JobKind KIND =
      JobKind.named(
              "regression",
              RegressionParams.class,
              (d, p, s) -> new RegressionJob(p, s.regression()))
          .needs(Needs.NOTHING.extension("vector").selectOnVectorTables())
          .raises(
              SharedFindings.INDEX_NOT_FOUND,
              REGRESSION_CONFIG,
              PLAN_REGRESSION,
              PLAN_NOT_USING_INDEX,
              RECALL_REGRESSION,
              LATENCY_REGRESSION,
              FILTERED_SEARCH_STARVED,
              TUNING_ADVICE)
          .build();

  private static final String ALL_ROWS = RegressionStore.ALL_ROWS;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegressionParams p;
  private final RegressionStore store;
  private final ProbeSampler sampler = new ProbeSampler();

  RegressionJob(RegressionParams params, RegressionStore store) {
    this.p = params;
    this.store = store;
  }

  /** One index measured one way. */
  private record Planned(MeasuredIndex index, String label, String filter, ProbeSetParams entry) {
    String object() {
      return objectOf(index.qualifiedName(), label);
    }
  }

  @Override
  public JobResult run(JobContext ctx) throws SQLException {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    long deadline = System.nanoTime() + p.maxRuntime.toNanoseconds();
    BooleanSupplier stop = () -> ctx.stopRequested().getAsBoolean() || System.nanoTime() > deadline;

    List<MeasuredIndex> indexes =
        jdbc.query(c, SqlFile.load("probes/regression_indexes"), MeasuredIndex::of);
    List<Finding> findings = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Planned> planned = plan(ctx.target().name(), indexes, findings);

    List<Map<String, Object>> sets = new ArrayList<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("probeSets", sets);
    if (ctx.dryRun()) {
      for (Planned pl : planned) {
        sets.add(dryRun(ctx, pl));
      }
      summary.put("dryRun", "nothing measured: the probe sets the run would measure");
      return JobResult.succeeded(summary, findings);
    }
    long truthRows = 0;
    long truthMillis = 0;
    boolean stopped = false;
    for (int i = 0; i < planned.size(); i++) {
      Planned pl = planned.get(i);
      if (stop.getAsBoolean()) {
        stopped = true;
        break;
      }
      ctx.progress().accept(progress("probe set", pl, i, planned.size()));
      try {
        Map<String, Object> m = measure(ctx, pl, stop, findings);
        sets.add(m);
        if (m.get("groundTruth") instanceof Map<?, ?> g && Boolean.TRUE.equals(g.get("computed"))) {
          truthRows += ((Number) g.get("rowsScanned")).longValue();
          truthMillis += ((Number) g.get("millis")).longValue();
        }
      } catch (SQLException | DbException e) {
        String detail = e instanceof DbException d ? d.detail() : e.getMessage();
        if (stop.getAsBoolean()) {
          stopped = true;
          break;
        }
        errors.add(pl.object() + ": " + detail);
        sets.add(Map.of("index", pl.index().qualifiedName(), "label", pl.label(), "error", detail));
      }
    }
    findings.addAll(vanished(ctx, indexes, planned));
    summary.put("groundTruthRowsScanned", truthRows);
    summary.put("groundTruthMillis", truthMillis);
    if (stopped) {
      summary.put(
          "stopped",
          ctx.stopRequested().getAsBoolean()
              ? "the daemon is shutting down"
              : "maxRuntime "
                  + p.maxRuntime
                  + " reached; the next run measures every probe set again");
      return new JobResult(RunStatus.succeeded, summary, findings, null, false);
    }
    if (!errors.isEmpty()) {
      return new JobResult(RunStatus.failed, summary, findings, String.join("; ", errors), false);
    }
    return JobResult.succeeded(summary, findings);
  }

  /** The probe sets of this run: the job file's list, or every hnsw/ivfflat index unfiltered. */
  private List<Planned> plan(String target, List<MeasuredIndex> indexes, List<Finding> findings)
      throws SQLException {
    List<Planned> out = new ArrayList<>();
    if (p.indexes.isEmpty()) {
      for (MeasuredIndex idx : indexes) {
        out.add(new Planned(idx, ALL_ROWS, idx.predicate(), null));
      }
      return out;
    }
    for (ProbeSetParams e : p.indexes) {
      String wanted = e.qualifiedIndex();
      Optional<MeasuredIndex> idx =
          indexes.stream().filter(i -> i.qualifiedName().equals(wanted)).findFirst();
      String label = e.label != null ? e.label : e.filter != null ? e.filter : ALL_ROWS;
      if (e.filter != null && !SqlText.isSingleCondition(e.filter)) {
        findings.add(
            Finding.warning(
                wanted,
                REGRESSION_CONFIG,
                "params.indexes["
                    + wanted
                    + "].filter must be one"
                    + " SQL condition (no ';', every parenthesis closed inside it): not measured",
                Map.of("filter", e.filter)));
        continue;
      }
      if (idx.isEmpty()) {
        if (store.liveProbeSet(target, wanted, label).isEmpty()) {
          findings.add(
              Finding.warning(
                  wanted,
                  SharedFindings.INDEX_NOT_FOUND,
                  "the regression job is configured to measure "
                      + wanted
                      + " but there is no hnsw or ivfflat index of that name",
                  Map.of("index", wanted)));
        }
        continue;
      }
      String filter = e.filter;
      if (idx.get().predicate() != null) {
        // a partial index serves only queries that imply its predicate
        filter =
            filter == null
                ? idx.get().predicate()
                : "(" + idx.get().predicate() + ") AND (" + filter + ")";
      }
      out.add(new Planned(idx.get(), label, filter, e));
    }
    return out;
  }

  private Map<String, Object> specOf(Planned pl) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("source", p.source.name());
    spec.put("probes", p.probes);
    spec.put("k", p.k);
    if (p.source == RegressionParams.Source.perturbed) {
      spec.put("perturbation", p.perturbation);
    }
    if (p.source == RegressionParams.Source.sql) {
      spec.put("probeSql", p.probeSql);
    }
    spec.put("filter", pl.filter());
    return spec;
  }

  private static AnnQuery.Template template(
      String table, String column, String operator, String type, String filter, String send) {
    return new AnnQuery.Template(
        table, column, operator, type, filter == null ? "true" : filter, send);
  }

  private ProbeSet probeSet(JobContext ctx, Planned pl, Connection c, AnnQuery.Template t)
      throws SQLException {
    MeasuredIndex idx = pl.index();
    Map<String, Object> spec = specOf(pl);
    Optional<ProbeSet> live =
        store.liveProbeSet(ctx.target().name(), idx.qualifiedName(), pl.label());
    if (live.isPresent()
        && live.get().spec().equals(JSON.valueToTree(spec))
        && live.get().table().equals(idx.table())
        && live.get().column().equals(idx.column())
        && live.get().columnType().equals(idx.columnType())
        && live.get().operator().equals(idx.operator())) {
      return live.get();
    }
    List<Probe> probes =
        inReadOnly(
            c,
            () ->
                sampler.choose(
                    c,
                    p,
                    t,
                    Distance.of(idx.opclass()) != null,
                    Distance.of(idx.opclass()) == Distance.cosine));
    if (probes.isEmpty()) {
      return null;
    }
    return store.createProbeSet(
        ctx.target().name(),
        idx.qualifiedName(),
        pl.label(),
        spec,
        idx.table(),
        idx.column(),
        idx.columnType(),
        idx.operator(),
        ctx.clock().instant(),
        probes);
  }

  private Map<String, Object> dryRun(JobContext ctx, Planned pl) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", pl.index().qualifiedName());
    m.put("label", pl.label());
    m.put("filter", pl.filter());
    Optional<ProbeSet> live =
        store.liveProbeSet(ctx.target().name(), pl.index().qualifiedName(), pl.label());
    boolean same = live.isPresent() && live.get().spec().equals(JSON.valueToTree(specOf(pl)));
    m.put("probes", same ? "kept (" + live.get().createdAt() + ")" : "would sample " + p.probes);
    m.put(
        "groundTruth",
        same && store.groundTruth(live.get().id()).isPresent()
            ? "cached unless the table changed"
            : "would compute");
    return m;
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * A READ ONLY transaction (REPEATABLE READ when asked) with the job's statement timeout, always
   * rolled back.
   */
  private <T> T inReadOnly(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        s.execute("SET LOCAL statement_timeout = " + p.statementTimeout.toMilliseconds());
      }
      return work.run();
    } finally {
      try {
        c.rollback();
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  private record Measured(
      double recall,
      Percentiles latency,
      Double starvedShare,
      PlanCheck.Plan plan,
      Map<String, Object> settings,
      Map<String, Object> truth,
      List<Map<String, Object>> sweep) {}

  private Map<String, Object> measure(
      JobContext ctx, Planned pl, BooleanSupplier stop, List<Finding> findings)
      throws SQLException {
    Connection c = ctx.connection();
    MeasuredIndex idx = pl.index();
    AnnQuery.Template t =
        template(
            idx.table(),
            idx.column(),
            idx.operator(),
            idx.columnType(),
            pl.filter(),
            idx.sendFunction());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", idx.qualifiedName());
    m.put("label", pl.label());
    m.put("filter", pl.filter());
    ProbeSet set = probeSet(ctx, pl, c, t);
    if (set == null) {
      m.put(
          "skipped",
          "no rows to take query vectors from"
              + (pl.filter() == null ? "" : " (filter " + pl.filter() + ")"));
      return m;
    }
    List<Probe> probes = store.probes(set.id());
    Measured r = inReadOnly(c, () -> measureInSnapshot(ctx, pl, set, probes, t, stop));
    m.put("probes", probes.size());
    m.put("k", p.k);
    if (Double.isNaN(r.recall())) {
      m.put("skipped", "no row matches any probe's query");
      return m;
    }
    m.put("recall", round(r.recall()));
    m.put("p50Ms", r.latency().p50());
    m.put("p95Ms", r.latency().p95());
    m.put("p99Ms", r.latency().p99());
    m.put("plan", r.plan().describe());
    m.put("settings", r.settings());
    m.put("groundTruth", r.truth());
    if (r.starvedShare() != null) {
      m.put("starvedShare", round(r.starvedShare()));
    }
    m.put("sweep", r.sweep());
    judge(ctx, pl, set, r, m, findings);
    return m;
  }

  private Measured measureInSnapshot(
      JobContext ctx,
      Planned pl,
      ProbeSet set,
      List<Probe> probes,
      AnnQuery.Template t,
      BooleanSupplier stop)
      throws SQLException {
    Connection c = ctx.connection();
    Jdbc jdbc = ctx.target().jdbc();
    MeasuredIndex idx = pl.index();
    try (AnnQuery ann = new AnnQuery(c, t, p.k)) {
      Map<String, Object> truthInfo = new LinkedHashMap<>();
      double[][] exact = groundTruth(ctx, pl, set, probes, t, ann, stop, truthInfo);

      Integer searchValue =
          pl.entry() != null
                  && (idx.hnsw() ? pl.entry().efSearch : pl.entry().ivfflatProbes) != null
              ? (idx.hnsw() ? pl.entry().efSearch : pl.entry().ivfflatProbes)
              : idx.hnsw() ? p.efSearch : p.ivfflatProbes;
      String iterative =
          pl.entry() != null && pl.entry().iterativeScan != null
              ? pl.entry().iterativeScan
              : p.iterativeScan;
      if (searchValue != null) {
        set(c, idx.searchSetting(), searchValue.toString());
      }
      if (iterative != null) {
        set(
            c,
            idx.iterativeScanSetting(),
            iterative.equals("strict_order") && !idx.hnsw() ? "relaxed_order" : iterative);
      }
      PlanCheck.Plan plan = PlanCheck.explain(c, t, p.k, probes.get(0), idx.name());
      // after the first vector statement, so the extension's settings are defined in this session
      Map<String, Object> settings =
          jdbc.query(
                  c,
                  SqlFile.load("probes/regression_settings"),
                  rs -> {
                    Map<String, Object> s = new LinkedHashMap<>();
                    String prefix = idx.hnsw() ? "hnsw_" : "ivfflat_";
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                      String name = rs.getMetaData().getColumnLabel(i);
                      if (name.startsWith(prefix) && rs.getString(i) != null) {
                        s.put(name.replaceFirst("_", "."), rs.getString(i));
                      }
                    }
                    return s;
                  })
              .get(0);

      ctx.progress().accept(progress("measuring", pl, 0, probes.size()));
      double[] recalls = new double[probes.size()];
      double[] millis = new double[probes.size() * p.repetitions];
      int starved = 0;
      for (int i = 0; i < probes.size(); i++) {
        if (stop.getAsBoolean()) {
          throw new SQLException("stopped while measuring");
        }
        AnnQuery.Answer warm = ann.run(probes.get(i));
        recalls[i] = Recall.of(exact[i], warm.distances(), p.k);
        if (Recall.starved(exact[i], warm.distances(), p.k)) {
          starved++;
        }
        for (int rep = 0; rep < p.repetitions; rep++) {
          millis[i * p.repetitions + rep] = ann.run(probes.get(i)).millis();
        }
      }
      List<Map<String, Object>> sweep =
          p.sweep && plan.usesIndex() ? sweep(c, pl, t, probes, exact, ann, stop) : List.of();
      Double starvedShare = pl.filter() == null ? null : (double) starved / probes.size();
      return new Measured(
          Recall.mean(recalls),
          Percentiles.of(millis),
          starvedShare,
          plan,
          settings,
          truthInfo,
          sweep);
    }
  }

  private static void set(Connection c, String setting, String value) throws SQLException {
    try (var ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
      ps.setString(1, setting);
      ps.setString(2, value);
      ps.execute();
    }
  }

  /**
   * Cached while the table changed less than groundTruthMaxChange of its rows since; else computed
   * now.
   */
  private double[][] groundTruth(
      JobContext ctx,
      Planned pl,
      ProbeSet set,
      List<Probe> probes,
      AnnQuery.Template t,
      AnnQuery ann,
      BooleanSupplier stop,
      Map<String, Object> info)
      throws SQLException {
    MeasuredIndex idx = pl.index();
    record Changes(long changes, long live) {}
    Changes now =
        ctx
            .target()
            .jdbc()
            .query(
                ctx.connection(),
                SqlFile.load("probes/regression_table_changes"),
                rs -> new Changes(rs.getLong("changes"), rs.getLong("live_rows")),
                idx.tableOid())
            .stream()
            .findFirst()
            .orElse(new Changes(0, 0));
    Optional<GroundTruth> cached = store.groundTruth(set.id());
    if (cached.isPresent()
        && cached.get().tableOid() == idx.tableOid()
        && cached.get().distances().length == probes.size()
        && now.changes() >= cached.get().tableChanges()
        && now.changes() - cached.get().tableChanges()
            <= p.groundTruthMaxChange * Math.max(1, cached.get().liveRows())) {
      info.put("computed", false);
      info.put("method", cached.get().method());
      info.put("computedAt", cached.get().computedAt().toString());
      info.put("changesSince", now.changes() - cached.get().tableChanges());
      return cached.get().distances();
    }
    ctx.progress().accept(progress("ground truth", pl, 0, probes.size()));
    Distance distance = Distance.of(idx.opclass());
    GroundTruthMethod method =
        p.groundTruthMethod != null
            ? p.groundTruthMethod
            : distance != null ? GroundTruthMethod.scan : GroundTruthMethod.queries;
    if (method == GroundTruthMethod.scan && distance == null) {
      method = GroundTruthMethod.queries; // bit and sparsevec: the server computes their distances
    }
    long start = System.nanoTime();
    ExactNeighbours.Result r =
        method == GroundTruthMethod.scan
            ? ExactNeighbours.scan(
                ctx.connection(),
                t,
                probes,
                p.k,
                distance,
                idx.opclass().startsWith("halfvec"),
                stop)
            : ExactNeighbours.queries(ctx.connection(), ann, probes, now.live(), stop);
    long ms = (System.nanoTime() - start) / 1_000_000;
    store.saveGroundTruth(
        set.id(),
        new GroundTruth(
            ctx.clock().instant(),
            method.name(),
            idx.tableOid(),
            now.changes(),
            now.live(),
            r.rowsScanned(),
            ms,
            r.distances()));
    info.put("computed", true);
    info.put("method", method.name());
    info.put("rowsScanned", r.rowsScanned());
    info.put("millis", ms);
    return r.distances();
  }

  /**
   * Each ladder value once per probe, smallest first, until one reaches targetRecall, or until the
   * planner stops using the index at a value (a large ef_search or probes makes the index cost more
   * than a sequential scan): that step is recorded unmeasured, since advising it would turn the
   * application's searches into exact scans, and measuring it would be sequential scans of our own.
   */
  private List<Map<String, Object>> sweep(
      Connection c,
      Planned pl,
      AnnQuery.Template t,
      List<Probe> probes,
      double[][] exact,
      AnnQuery ann,
      BooleanSupplier stop)
      throws SQLException {
    MeasuredIndex idx = pl.index();
    int max =
        idx.hnsw()
            ? 1000
            : idx.lists() - 1; // probes = lists is exact search: the planner drops the index
    List<Integer> ladder =
        new ArrayList<>(
            (idx.hnsw() ? p.efSearchLadder : p.probesLadder)
                .stream().sorted().distinct().filter(v -> v <= max).toList());
    if (ladder.isEmpty()
        || ladder.get(ladder.size() - 1) < max
            && (idx.hnsw() ? p.efSearchLadder : p.probesLadder).stream().anyMatch(v -> v > max)) {
      ladder.add(
          max); // the ladder went past what this index allows: its last step is the largest allowed
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      for (int value : ladder) {
        if (stop.getAsBoolean()) {
          break;
        }
        s.execute("SAVEPOINT sweep");
        set(c, idx.searchSetting(), Integer.toString(value));
        if (!PlanCheck.explain(c, t, p.k, probes.get(0), idx.name()).usesIndex()) {
          s.execute("ROLLBACK TO SAVEPOINT sweep");
          Map<String, Object> step = new LinkedHashMap<>();
          step.put("value", value);
          step.put("planUsesIndex", false);
          out.add(step);
          break;
        }
        double[] recalls = new double[probes.size()];
        double[] millis = new double[probes.size()];
        for (int i = 0; i < probes.size(); i++) {
          AnnQuery.Answer a = ann.run(probes.get(i));
          recalls[i] = Recall.of(exact[i], a.distances(), p.k);
          millis[i] = a.millis();
        }
        s.execute("ROLLBACK TO SAVEPOINT sweep");
        double recall = Recall.mean(recalls);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("value", value);
        step.put("recall", round(recall));
        step.put("p95Ms", Percentiles.of(millis).p95());
        out.add(step);
        if (recall >= p.targetRecall) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * Baseline, regressions over consecutive runs, plan, starvation and tuning findings; stores the
   * point.
   */
  private void judge(
      JobContext ctx,
      Planned pl,
      ProbeSet set,
      Measured r,
      Map<String, Object> m,
      List<Finding> findings) {
    MeasuredIndex idx = pl.index();
    String object = pl.object();
    Optional<Baseline> baseline = store.baseline(set.id());
    boolean newDefinition =
        baseline.isPresent() && !baseline.get().point().indexDefinition().equals(idx.definition());
    Point base = baseline.isPresent() && !newDefinition ? baseline.get().point() : null;
    boolean recallBreach = base != null && r.recall() < base.recall() - p.recallDrop;
    boolean latencyBreach =
        base != null
            && r.latency().p95() > base.p95Ms() * p.latencyFactor
            && r.latency().p95() - base.p95Ms() >= p.minLatencyIncrease.toMilliseconds();
    String note = null;
    if (r.plan().usesIndex() && baseline.isEmpty()) {
      note = "baseline: first good run";
    } else if (r.plan().usesIndex() && newDefinition) {
      note =
          "index definition changed: new baseline (was: "
              + baseline.get().point().indexDefinition()
              + ")";
    }
    JsonNode sweepJson = JSON.valueToTree(r.sweep());
    Point point =
        new Point(
            0,
            ctx.runId(),
            ctx.clock().instant(),
            r.recall(),
            r.latency().p50(),
            r.latency().p95(),
            r.latency().p99(),
            JSON.valueToTree(r.settings()),
            idx.definition(),
            r.plan().usesIndex(),
            r.starvedShare(),
            recallBreach,
            latencyBreach,
            base == null ? null : base.id(),
            note,
            sweepJson);
    List<Point> earlier =
        base == null ? List.of() : store.recentPoints(set.id(), p.consecutiveRuns - 1);
    long id = store.savePoint(set.id(), point);
    if (note != null) {
      store.pinBaseline(
          set.id(),
          id,
          newDefinition ? "index definition changed" : "first good run",
          ctx.clock().instant());
    }
    m.put("pointId", id);
    if (note != null) {
      m.put("note", note);
    }
    if (base != null) {
      m.put(
          "baseline",
          Map.of(
              "pointId",
              base.id(),
              "recall",
              round(base.recall()),
              "p95Ms",
              base.p95Ms(),
              "measuredAt",
              base.measuredAt().toString()));
    }

    String search = (String) r.settings().get(idx.searchSetting());
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("recall", round(r.recall()));
    figures.put("k", p.k);
    figures.put("p95Ms", r.latency().p95());
    figures.put("settings", r.settings());
    if (base != null) {
      figures.put("baselineRecall", round(base.recall()));
      figures.put("baselineP95Ms", base.p95Ms());
      figures.put("baselineSettings", base.settings());
      figures.put("baselineAt", base.measuredAt().toString());
    }

    if (!r.plan().usesIndex()) {
      if (baseline.isPresent()) {
        findings.add(
            Finding.critical(
                object,
                PLAN_REGRESSION,
                "the planner no longer uses "
                    + idx.qualifiedName()
                    + " for ORDER BY "
                    + idx.column()
                    + " "
                    + idx.operatorName()
                    + " ... LIMIT "
                    + p.k
                    + " on "
                    + idx.table()
                    + ": the plan is now "
                    + r.plan().describe()
                    + " (recall "
                    + round(r.recall())
                    + ", p95 "
                    + r.latency().p95()
                    + " ms)",
                with(figures, "plan", r.plan().describe())));
      } else {
        findings.add(
            Finding.warning(
                object,
                PLAN_NOT_USING_INDEX,
                "the planner does not use "
                    + idx.qualifiedName()
                    + " for its nearest-neighbour query ("
                    + r.plan().describe()
                    + "), so recall says"
                    + " nothing about the index; common causes: a small table, "
                    + idx.searchSetting()
                    + " too high"
                    + (idx.hnsw() ? "" : " (probes >= lists)")
                    + ", or a filter a B-tree serves better",
                with(figures, "plan", r.plan().describe())));
      }
    }
    if (base != null && sustained(recallBreach, earlier, base.id(), Point::recallBreach)) {
      double drop = base.recall() - r.recall();
      Finding.Severity sev =
          drop > p.criticalRecallDrop ? Finding.Severity.critical : Finding.Severity.warning;
      boolean settingsChanged = !base.settings().equals(JSON.valueToTree(r.settings()));
      findings.add(
          Finding.of(
              object,
              RECALL_REGRESSION,
              sev,
              "recall@"
                  + p.k
                  + " of "
                  + idx.qualifiedName()
                  + " ["
                  + pl.label()
                  + "] is "
                  + round(r.recall())
                  + ", "
                  + round(drop)
                  + " below its baseline "
                  + round(base.recall())
                  + " of "
                  + base.measuredAt()
                  + ", for "
                  + p.consecutiveRuns
                  + " runs"
                  + (settingsChanged
                      ? "; settings changed since the baseline: "
                          + base.settings()
                          + " -> "
                          + r.settings()
                      : "; settings unchanged, so the index itself degraded: rebuild it (REINDEX INDEX CONCURRENTLY "
                          + idx.qualifiedName()
                          + ")"),
              with(figures, "drop", round(drop))));
    }
    if (base != null && sustained(latencyBreach, earlier, base.id(), Point::latencyBreach)) {
      findings.add(
          Finding.warning(
              object,
              LATENCY_REGRESSION,
              "p95 latency of "
                  + idx.qualifiedName()
                  + " ["
                  + pl.label()
                  + "] is "
                  + r.latency().p95()
                  + " ms against "
                  + base.p95Ms()
                  + " ms at its baseline ("
                  + Math.round(10 * r.latency().p95() / Math.max(0.001, base.p95Ms())) / 10.0
                  + "x) for "
                  + p.consecutiveRuns
                  + " runs",
              with(figures, "factor", r.latency().p95() / Math.max(0.001, base.p95Ms()))));
    }
    if (r.starvedShare() != null && r.starvedShare() > p.starvationThreshold) {
      String iterative = (String) r.settings().getOrDefault(idx.iterativeScanSetting(), "off");
      findings.add(
          Finding.warning(
              object,
              FILTERED_SEARCH_STARVED,
              Math.round(100 * r.starvedShare())
                  + "% of filtered queries on "
                  + idx.qualifiedName()
                  + " ("
                  + pl.filter()
                  + ") returned fewer than "
                  + p.k
                  + " rows although at least "
                  + p.k
                  + " rows match: the index's candidates are filtered after the scan ("
                  + idx.iterativeScanSetting()
                  + " = "
                  + iterative
                  + ", "
                  + idx.searchSetting()
                  + " = "
                  + search
                  + "). Enable "
                  + idx.iterativeScanSetting()
                  + " = relaxed_order (pgvector 0.8), raise "
                  + idx.searchSetting()
                  + ", or create a partial index WHERE "
                  + pl.filter(),
              with(figures, "starvedShare", round(r.starvedShare()))));
    }
    tuningAdvice(pl, r, search, figures, findings);
  }

  private void tuningAdvice(
      Planned pl, Measured r, String current, Map<String, Object> figures, List<Finding> findings) {
    MeasuredIndex idx = pl.index();
    List<Map<String, Object>> measured =
        r.sweep().stream().filter(s -> s.containsKey("recall")).toList();
    if (measured.isEmpty() || r.recall() >= p.targetRecall) {
      return;
    }
    Map<String, Object> last = measured.get(measured.size() - 1);
    double reached = ((Number) last.get("recall")).doubleValue();
    Map<String, Object> f = with(figures, "sweep", r.sweep());
    Object dropped =
        r.sweep().stream()
            .filter(s -> Boolean.FALSE.equals(s.get("planUsesIndex")))
            .map(s -> s.get("value"))
            .findFirst()
            .orElse(null);
    String planNote =
        dropped == null
            ? ""
            : " (at "
                + dropped
                + " the planner stops using the index: searches"
                + " would become exact sequential scans)";
    if (reached >= p.targetRecall) {
      findings.add(
          Finding.info(
              pl.object(),
              TUNING_ADVICE,
              "recall@"
                  + p.k
                  + " of "
                  + idx.qualifiedName()
                  + " is "
                  + round(r.recall())
                  + " with "
                  + idx.searchSetting()
                  + " = "
                  + current
                  + "; "
                  + last.get("value")
                  + " reaches "
                  + last.get("recall")
                  + " (target "
                  + p.targetRecall
                  + ") at p95 "
                  + last.get("p95Ms")
                  + " ms against "
                  + r.latency().p95()
                  + " ms now: SET "
                  + idx.searchSetting()
                  + " = "
                  + last.get("value")
                  + " for the application's queries",
              with(f, "suggested", last.get("value"))));
    } else {
      findings.add(
          Finding.info(
              pl.object(),
              TUNING_ADVICE,
              "recall@"
                  + p.k
                  + " of "
                  + idx.qualifiedName()
                  + " is "
                  + round(r.recall())
                  + " with "
                  + idx.searchSetting()
                  + " = "
                  + current
                  + "; no value up to "
                  + last.get("value")
                  + " reaches "
                  + p.targetRecall
                  + " (best "
                  + last.get("recall")
                  + ")"
                  + planNote
                  + ": the index itself limits recall; rebuild it with "
                  + (idx.hnsw() ? "a larger m or ef_construction" : "lists suited to its rows"),
              f));
    }
  }

  private boolean sustained(
      boolean now,
      List<Point> earlier,
      long baselineId,
      java.util.function.Predicate<Point> breach) {
    if (!now) {
      return false;
    }
    if (earlier.size() < p.consecutiveRuns - 1) {
      return false;
    }
    return earlier.stream()
        .limit(p.consecutiveRuns - 1L)
        .allMatch(e -> Objects.equals(e.baselineId(), baselineId) && breach.test(e));
  }

  /**
   * Probe sets whose index is gone. Its table still there and no other vector index serving the
   * query: its queries now scan the table, a critical plan regression. Otherwise the set is
   * retired.
   */
  private List<Finding> vanished(
      JobContext ctx, List<MeasuredIndex> indexes, List<Planned> planned) {
    List<Finding> out = new ArrayList<>();
    String target = ctx.target().name();
    for (ProbeSet s : store.liveProbeSets(target)) {
      boolean measured =
          planned.stream()
              .anyMatch(
                  pl ->
                      pl.index().qualifiedName().equals(s.index()) && pl.label().equals(s.label()));
      boolean exists = indexes.stream().anyMatch(i -> i.qualifiedName().equals(s.index()));
      boolean configured =
          p.indexes.isEmpty()
              || p.indexes.stream().anyMatch(e -> e.qualifiedIndex().equals(s.index()));
      if (measured || (exists && configured)) {
        continue;
      }
      try {
        boolean tableExists =
            ctx.target()
                .jdbc()
                .query(
                    ctx.connection(),
                    SqlFile.load("probes/regression_table_exists"),
                    rs -> rs.getBoolean(1),
                    s.table())
                .get(0);
        if (exists || !configured || !tableExists || store.baseline(s.id()).isEmpty()) {
          store.retire(s, ctx.clock().instant());
          continue;
        }
        List<Probe> probes = store.probes(s.id());
        String filter = s.spec().path("filter").isNull() ? null : s.spec().path("filter").asText();
        AnnQuery.Template t =
            template(s.table(), s.column(), s.operator(), s.columnType(), filter, "");
        Connection c = ctx.connection();
        PlanCheck.Plan plan = inReadOnly(c, () -> PlanCheck.explain(c, t, p.k, probes.get(0), ""));
        boolean served =
            indexes.stream()
                .anyMatch(
                    i ->
                        plan.scans().stream()
                            .anyMatch(sc -> sc.startsWith("Index Scan using " + i.name() + " ")));
        if (served) {
          store.retire(s, ctx.clock().instant());
          continue;
        }
        out.add(
            Finding.critical(
                objectOf(s.index(), s.label()),
                PLAN_REGRESSION,
                "vector index "
                    + s.index()
                    + " no longer exists; its"
                    + " nearest-neighbour queries on "
                    + s.table()
                    + " now run as "
                    + plan.describe()
                    + ". If it was dropped"
                    + " on purpose, retire its series: DELETE /api/regression/"
                    + target
                    + "/"
                    + s.index(),
                Map.of("plan", plan.describe(), "table", s.table())));
      } catch (SQLException | DbException e) {
        // the next run looks again; the finding of the last run stays open meanwhile
      }
    }
    return out;
  }

  /** A finding's object: the index, with the probe set's label when it is filtered. */
  private static String objectOf(String index, String label) {
    return label.equals(ALL_ROWS) ? index : index + " [" + label + "]";
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }

  private static Map<String, Object> progress(String phase, Planned pl, int done, int total) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", phase);
    m.put("index", pl.index().qualifiedName());
    m.put("label", pl.label());
    m.put("done", done);
    m.put("total", total);
    return m;
  }

  static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 10000.0) / 10000.0;
  }
}
