package io.pgvectorops.jobs.quantization;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.Percentiles;
import io.pgvectorops.jobs.Recall;
import io.pgvectorops.jobs.quantization.TrialSummary.Step;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One shape on the scratch sample: built (timed, its size read, whether its graph fitted in
 * maintenance_work_mem), then measured: recall@k against the exact neighbours at each ef_search of
 * the ladder until the target is reached, and the latency of the queries at that ef_search.
 */
final class ShapeTrial {
  /** What the build cost. */
  record Built(String index, long bytes, double seconds, boolean graphFit) {}

  /** What the queries found at the ef_search chosen. */
  record Measured(int efSearch, double recall, Percentiles latency, List<Step> sweep) {}

  /** Thrown when the planner does not use the shape's index: its figures would be a scan's. */
  static final class NotUsed extends RuntimeException {
    NotUsed(String plan) {
      super("the planner did not use the shape's index (" + plan + ")");
    }
  }

  private final TrialParams p;
  private final TrialIndex index;
  private final Shape shape;

  ShapeTrial(TrialParams p, TrialIndex index, Shape shape) {
    this.p = p;
    this.index = index;
    this.shape = shape;
  }

  /**
   * Candidates a re-ranked query takes from the index at this ef_search: k x rerankFactor, or all
   * the index returns (ef_search rows) when that is more, as an application raising ef_search for
   * recall would take them.
   */
  int candidates(int efSearch) {
    return Math.max(p.k * p.rerankFactor, efSearch);
  }

  Built build(JobContext ctx, DdlSession.Settings settings) {
    String name = "trial_" + shape.name().toLowerCase();
    SqlFile ddl =
        SqlFile.load("ddl/create_trial_index")
            .fill(
                Map.of(
                    "index", quote(name),
                    "sample", ScratchSchema.sample(),
                    "index_key", shape.key(index, "v"),
                    "opclass", shape.opclass(index),
                    "options", shape.options(index)));
    Instant started = ctx.clock().instant();
    List<String> notices = ScratchSchema.run(ctx, settings, ddl);
    double seconds = Duration.between(started, ctx.clock().instant()).toMillis() / 1000.0;
    long bytes =
        ctx.target()
            .jdbc()
            .query(
                ctx.connection(),
                SqlFile.load("probes/relation_size"),
                rs -> rs.getLong(1),
                ScratchSchema.relation(name))
            .get(0);
    boolean fit = notices.stream().noneMatch(n -> n.contains("no longer fits"));
    return new Built(name, bytes, seconds, fit);
  }

  /** The exact k nearest distances of each probe, before any index exists on the sample. */
  static double[][] exact(JobContext ctx, TrialParams p, TrialIndex index, List<String> probes) {
    SqlFile sql =
        SqlFile.load("quantization/trial_exact_distances")
            .fill(
                Map.of(
                    "sample",
                    ScratchSchema.sample(),
                    "operator",
                    index.operatorName(),
                    "type",
                    index.castType()));
    return readOnly(
        ctx,
        p,
        c -> {
          double[][] out = new double[probes.size()][];
          for (int i = 0; i < probes.size(); i++) {
            out[i] = distances(ctx.target().jdbc(), c, sql, probes.get(i), p.k);
          }
          return out;
        });
  }

  Measured measure(
      JobContext ctx, Built built, List<String> probes, double[][] exact, BooleanSupplier stop) {
    SqlFile sql = search();
    Jdbc jdbc = ctx.target().jdbc();
    return readOnly(
        ctx,
        p,
        c -> {
          // the sample is small: the planner would scan it, and the figures would be a scan's
          set(jdbc, c, "enable_seqscan", "off");
          checkPlan(jdbc, c, sql, probes.get(0), built.index());
          List<Step> sweep = new ArrayList<>();
          for (int ef : ladder()) {
            set(jdbc, c, "hnsw.ef_search", String.valueOf(ef));
            double[] recalls = new double[probes.size()];
            for (int i = 0; i < probes.size(); i++) {
              recalls[i] = Recall.of(exact[i], run(jdbc, c, sql, probes.get(i), ef), p.k);
            }
            sweep.add(new Step(ef, Recall.mean(recalls)));
            if (Recall.mean(recalls) >= p.targetRecall || stop.getAsBoolean()) {
              break;
            }
          }
          Step chosen = sweep.get(sweep.size() - 1);
          double[] millis = new double[probes.size() * p.repetitions];
          for (int r = 0; r < p.repetitions; r++) {
            for (int i = 0; i < probes.size(); i++) {
              long t = System.nanoTime();
              run(jdbc, c, sql, probes.get(i), chosen.efSearch());
              millis[r * probes.size() + i] = (System.nanoTime() - t) / 1e6;
            }
          }
          return new Measured(
              chosen.efSearch(), chosen.recall(), Percentiles.of(millis), List.copyOf(sweep));
        });
  }

  /** The ladder's values; re-ranking needs at least its candidates from the index. */
  List<Integer> ladder() {
    int floor = shape.reranked() ? candidates(1) : 1;
    List<Integer> out =
        new ArrayList<>(
            p.efSearchLadder.stream().sorted().distinct().filter(v -> v >= floor).toList());
    if (out.isEmpty()) {
      out.add(Math.min(1000, floor));
    }
    return out;
  }

  private SqlFile search() {
    return SqlFile.load(
            shape.reranked() ? "quantization/trial_search_reranked" : "quantization/trial_search")
        .fill(
            Map.of(
                "sample", ScratchSchema.sample(),
                "operator", index.operatorName(),
                "type", index.castType(),
                "index_key", shape.key(index, "v"),
                "index_operator", shape.operator(index),
                "probe_key", shape.probeKey(index, "?")));
  }

  private double[] run(Jdbc jdbc, Connection c, SqlFile sql, String probe, int efSearch) {
    return shape.reranked()
        ? jdbc
            .query(c, sql, rs -> rs.getDouble(1), probe, probe, candidates(efSearch), p.k)
            .stream()
            .mapToDouble(Double::doubleValue)
            .toArray()
        : distances(jdbc, c, sql, probe, probe, p.k);
  }

  private static double[] distances(Jdbc jdbc, Connection c, SqlFile sql, Object... params) {
    return jdbc.query(c, sql, rs -> rs.getDouble(1), params).stream()
        .mapToDouble(Double::doubleValue)
        .toArray();
  }

  private void checkPlan(Jdbc jdbc, Connection c, SqlFile sql, String probe, String indexName) {
    SqlFile explain = sql.explained("");
    Object[] params =
        shape.reranked()
            ? new Object[] {probe, probe, candidates(1), p.k}
            : new Object[] {probe, probe, p.k};
    String plan = String.join(" / ", jdbc.query(c, explain, rs -> rs.getString(1), params));
    if (!plan.contains(indexName)) {
      throw new NotUsed(plan);
    }
  }

  private static void set(Jdbc jdbc, Connection c, String setting, String value) {
    jdbc.query(c, SqlFile.load("session/local_setting"), rs -> rs.getString(1), setting, value);
  }

  /** A read-only transaction on the run's session under the job's statement timeout. */
  static <T> T readOnly(JobContext ctx, TrialParams p, Jdbc.ConnectionWork<T> work) {
    return ctx.target()
        .jdbc()
        .readOnlyThenRollback(ctx.connection(), false, p.statementTimeout.toMilliseconds(), work);
  }
}
