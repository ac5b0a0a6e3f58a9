package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.Percentiles;
import io.pgvectorops.jobs.Recall;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.jobs.regression.RegressionSummary.GroundTruthInfo;
import io.pgvectorops.jobs.regression.RegressionSummary.Progress;
import io.pgvectorops.jobs.regression.RegressionSummary.SweepStep;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Measures one probe set: its query vectors (sampled once and kept), the exact neighbours (cached
 * while the table is stable), recall and latency of the application's query with the probe set's
 * settings, the plan, and the ef_search / probes sweep. Everything in one REPEATABLE READ READ ONLY
 * transaction, always rolled back.
 */
final class Measurement {
  /** The figures of one probe set, before they are judged. */
  record Measured(
      double recall,
      RegressionSummary.Reranked rerank,
      Percentiles latency,
      Double starvedShare,
      PlanCheck.Plan plan,
      Map<String, String> settings,
      ApplicationSettings.Read application,
      GroundTruthInfo truth,
      List<SweepStep> sweep) {}

  /**
   * @param set null when there was nothing to sample
   * @param measured null when skipped ({@code skipped} says why)
   */
  record Outcome(ProbeSet set, int probes, Measured measured, String skipped) {}

  private final RegressionParams p;
  private final RegressionStore store;
  private final ProbeSetPlanner planner;
  private final ProbeSampler sampler = new ProbeSampler();

  Measurement(RegressionParams p, RegressionStore store, ProbeSetPlanner planner) {
    this.p = p;
    this.store = store;
    this.planner = planner;
  }

  Outcome measure(JobContext ctx, Planned pl, BooleanSupplier stop) {
    ProbeSet set = probeSet(ctx, pl);
    if (set == null) {
      return new Outcome(
          null,
          0,
          null,
          "no rows to take query vectors from"
              + (pl.filter() == null ? "" : " (filter " + pl.filter() + ")"));
    }
    List<Probe> probes = store.probes(set.id());
    Measured r = inReadOnly(ctx, c -> measureInSnapshot(ctx, pl, set, probes, stop));
    return Double.isNaN(r.recall())
        ? new Outcome(set, probes.size(), null, "no row matches any probe's query")
        : new Outcome(set, probes.size(), r, null);
  }

  /** The probe set kept for this index and label, or a new one sampled now (null: no rows). */
  private ProbeSet probeSet(JobContext ctx, Planned pl) {
    Optional<ProbeSet> live = planner.unchanged(ctx.target().name(), pl);
    if (live.isPresent()) {
      return live.get();
    }
    MeasuredIndex idx = pl.index();
    Distance distance = Distance.of(idx.opclass());
    Jdbc jdbc = ctx.target().jdbc();
    List<Probe> probes =
        inReadOnly(
            ctx,
            c ->
                sampler.choose(
                    jdbc,
                    c,
                    p,
                    pl.sampleTemplate(),
                    distance != null || idx.probeThrough() != null,
                    distance == Distance.cosine));
    if (probes.isEmpty()) {
      return null;
    }
    return store.createProbeSet(
        ctx.target().name(),
        idx.qualifiedName(),
        pl.label(),
        planner.specOf(pl),
        idx.table(),
        idx.column(),
        idx.columnType(),
        idx.operator(),
        ctx.clock().instant(),
        probes);
  }

  /** A READ ONLY REPEATABLE READ transaction with the job's statement timeout, rolled back. */
  <T> T inReadOnly(JobContext ctx, Jdbc.ConnectionWork<T> work) {
    return ctx.target()
        .jdbc()
        .readOnlyThenRollback(ctx.connection(), true, p.statementTimeout.toMilliseconds(), work);
  }

  /**
   * The probes as the index sees them: passed through its expression when they are the column's
   * values ({@code through}, see {@link MeasuredIndex#probeThrough}), else as they are.
   */
  static List<Probe> asIndexed(Jdbc jdbc, Connection c, String through, List<Probe> probes) {
    if (through == null) {
      return probes;
    }
    SqlFile sql = SqlFile.load("regression/probe_through_expression").with("expression", through);
    List<Probe> out = new ArrayList<>(probes.size());
    for (Probe probe : probes) {
      String v = jdbc.query(c, sql, rs -> rs.getString(1), probe.vector()).get(0);
      out.add(new Probe(v, probe.sourceTid()));
    }
    return out;
  }

  /** Each probe's recall, the timed executions' latencies, and how many probes came back short. */
  private record Runs(double[] recalls, double[] millis, int starved) {}

  /** Each probe once to warm up and judge recall, then timed {@code repetitions} times. */
  private Runs runAll(AnnQuery ann, List<Probe> probes, double[][] exact, BooleanSupplier stop) {
    double[] recalls = new double[probes.size()];
    double[] millis = new double[probes.size() * p.repetitions];
    int starved = 0;
    for (int i = 0; i < probes.size(); i++) {
      if (stop.getAsBoolean()) {
        throw new Stopped();
      }
      AnnQuery.Answer warm = ann.run(probes.get(i));
      recalls[i] = Recall.of(exact[i], warm.distances(), p.k);
      starved += Recall.starved(exact[i], warm.distances(), p.k) ? 1 : 0;
      for (int rep = 0; rep < p.repetitions; rep++) {
        millis[i * p.repetitions + rep] = ann.run(probes.get(i)).millis();
      }
    }
    return new Runs(recalls, millis, starved);
  }

  private Measured measureInSnapshot(
      JobContext ctx, Planned pl, ProbeSet set, List<Probe> stored, BooleanSupplier stop) {
    Connection c = ctx.connection();
    Jdbc jdbc = ctx.target().jdbc();
    MeasuredIndex idx = pl.index();
    List<Probe> probes = asIndexed(jdbc, c, idx.probeThrough(), stored);
    AnnQuery.Template t = pl.template();
    try (AnnQuery ann = new AnnQuery(jdbc, c, t, p.k)) {
      GroundTruths.Exact exact = new GroundTruths(p, store).of(ctx, pl, set, probes, ann, stop);
      // a first vector statement loads pgvector's library, which defines its settings
      PlanCheck.explain(jdbc, c, t, p.k, probes.get(0), idx.servedBy());
      ApplicationSettings.Read application =
          ApplicationSettings.read(jdbc, c, applicationRole(ctx, pl));
      ApplicationSettings.apply(jdbc, c, application);
      applySettings(jdbc, c, pl);
      PlanCheck.Plan plan = PlanCheck.explain(jdbc, c, t, p.k, probes.get(0), idx.servedBy());
      Map<String, String> settings = settings(jdbc, c, idx);
      ctx.progress().accept(Progress.of("measuring", pl, 0, probes.size()));
      Runs runs = runAll(ann, probes, exact.distances(), stop);
      Planned.Rerank rerank = pl.rerank(p.k);
      RegressionSummary.Reranked reranked =
          rerank == null ? null : Reranking.measure(jdbc, c, pl, rerank, stored, probes, p.k, stop);
      List<SweepStep> sweep =
          p.sweep && plan.usesIndex()
              ? sweep(jdbc, c, pl, probes, exact.distances(), ann, stop)
              : List.of();
      return new Measured(
          Recall.mean(runs.recalls()),
          reranked,
          Percentiles.of(runs.millis()),
          pl.filter() == null ? null : (double) runs.starved() / probes.size(),
          plan,
          settings,
          application,
          exact.info(),
          sweep);
    }
  }

  /** The probe set's applicationRole, else its target's; null: the database's defaults. */
  private static String applicationRole(JobContext ctx, Planned pl) {
    return pl.entry() != null && pl.entry().applicationRole != null
        ? pl.entry().applicationRole
        : ctx.target().config().applicationRole;
  }

  /**
   * The probe set's ef_search / probes and iterative scan, from its entry or the job's params:
   * explicit choices of the job file, applied over the application's settings.
   */
  private void applySettings(Jdbc jdbc, Connection c, Planned pl) {
    MeasuredIndex idx = pl.index();
    Integer searchValue = SearchSettings.searchValue(pl.entry(), p, idx.hnsw());
    String iterative = SearchSettings.iterativeScan(pl.entry(), p);
    if (searchValue != null) {
      Trial.set(jdbc, c, idx.searchSetting(), searchValue.toString());
    }
    if (iterative != null) {
      Trial.set(
          jdbc,
          c,
          idx.iterativeScanSetting(),
          iterative.equals("strict_order") && !idx.hnsw() ? "relaxed_order" : iterative);
    }
  }

  /** The index method's settings in force (hnsw.* or ivfflat.*), as the point records them. */
  private static Map<String, String> settings(Jdbc jdbc, Connection c, MeasuredIndex idx) {
    return jdbc.query(
            c,
            SqlFile.load("probes/regression_settings"),
            rs -> {
              Map<String, String> s = new LinkedHashMap<>();
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
  }

  /**
   * Each ladder value once per probe, smallest first, until one reaches targetRecall, or until the
   * planner stops using the index at a value (a large ef_search or probes makes the index cost more
   * than a sequential scan): that step is recorded unmeasured, since advising it would turn the
   * application's searches into exact scans, and measuring it would be sequential scans of our own.
   */
  private List<SweepStep> sweep(
      Jdbc jdbc,
      Connection c,
      Planned pl,
      List<Probe> probes,
      double[][] exact,
      AnnQuery ann,
      BooleanSupplier stop) {
    MeasuredIndex idx = pl.index();
    List<SweepStep> out = new ArrayList<>();
    for (int value : ladder(idx)) {
      if (stop.getAsBoolean()) {
        break;
      }
      SweepStep step =
          Trial.run(
              jdbc,
              c,
              () -> {
                Trial.set(jdbc, c, idx.searchSetting(), Integer.toString(value));
                if (!PlanCheck.explain(jdbc, c, pl.template(), p.k, probes.get(0), idx.servedBy())
                    .usesIndex()) {
                  return new SweepStep(value, null, null, false);
                }
                double[] recalls = new double[probes.size()];
                double[] millis = new double[probes.size()];
                for (int i = 0; i < probes.size(); i++) {
                  AnnQuery.Answer a = ann.run(probes.get(i));
                  recalls[i] = Recall.of(exact[i], a.distances(), p.k);
                  millis[i] = a.millis();
                }
                return new SweepStep(
                    value, Recall.mean(recalls), Percentiles.of(millis).p95(), null);
              });
      out.add(step);
      if (!step.measured() || step.recall() >= p.targetRecall) {
        break;
      }
    }
    return out;
  }

  /** The job's ladder up to what the index allows; past it, the largest allowed value. */
  private List<Integer> ladder(MeasuredIndex idx) {
    // probes = lists is exact search: the planner drops the index; an index of one list has only
    // probes = 1 (ivfflat.probes accepts nothing below 1)
    int max = idx.hnsw() ? 1000 : Math.max(1, idx.lists() - 1);
    List<Integer> wanted = idx.hnsw() ? p.efSearchLadder : p.probesLadder;
    List<Integer> ladder =
        new ArrayList<>(wanted.stream().sorted().distinct().filter(v -> v <= max).toList());
    if (ladder.isEmpty()
        || ladder.get(ladder.size() - 1) < max && wanted.stream().anyMatch(v -> v > max)) {
      ladder.add(max);
    }
    return ladder;
  }
}
