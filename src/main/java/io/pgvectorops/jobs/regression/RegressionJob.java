package io.pgvectorops.jobs.regression;

import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.Recall;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.jobs.regression.RegressionSummary.MeasuredSet;
import io.pgvectorops.jobs.regression.RegressionSummary.ProbeSetReport;
import io.pgvectorops.jobs.regression.RegressionSummary.Progress;
import io.pgvectorops.sql.DbException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  static final FindingKind MEASUREMENT_FAILED =
      FindingKind.of("measurement-failed", Severity.warning, Severity.warning);
  static final FindingKind RECALL_BELOW_TARGET =
      new FindingKind(
          "recall-below-target",
          Severity.warning,
          Severity.critical,
          "Apply the setting the message names for the application's role (ALTER ROLE ..."
              + " IN DATABASE ... SET), or rebuild {object} in the shape it names (the"
              + " index-rebuild job); see GET /api/regression/{target} for the sweep.");

  /**
   * The Regression kind: registered in kinds/JobKinds. Read-only on the target (it measures a
   * standby's indexes too); its own records go to the state schema.
   */
  public static final JobKind KIND =
      JobKind.named(
              "regression",
              RegressionParams.class,
              (d, p, s) -> new RegressionJob(p, s.own(RegressionStore.class)))
          .keeps(RegressionStore.class, RegressionStore::new)
          .answers(RegressionResource::new)
          .provides(RecallReadings.class)
          .uses(RebuildHistory.class)
          .needs(Needs.NOTHING.extension("vector").selectOnVectorTables())
          .raises(
              SharedFindings.INDEX_NOT_FOUND,
              REGRESSION_CONFIG,
              PLAN_REGRESSION,
              PLAN_NOT_USING_INDEX,
              RECALL_REGRESSION,
              LATENCY_REGRESSION,
              FILTERED_SEARCH_STARVED,
              MEASUREMENT_FAILED,
              RECALL_BELOW_TARGET)
          .reports(RegressionSummary.class)
          .build();

  private final RegressionParams p;
  private final ProbeSetPlanner planner;
  private final Measurement measurement;
  private final Judge judge;
  private final VanishedIndexes vanished;

  RegressionJob(RegressionParams params, RegressionStore store) {
    this.p = params;
    this.planner = new ProbeSetPlanner(params, store);
    this.measurement = new Measurement(params, store, planner);
    this.judge = new Judge(params, store);
    this.vanished = new VanishedIndexes(params, store, measurement);
  }

  /** Ground truth computed this run (not taken from the cache), summed over the probe sets. */
  private static final class TruthCost {
    long rows;
    long millis;

    void add(MeasuredSet m) {
      if (m.groundTruth() != null && m.groundTruth().computed()) {
        rows += m.groundTruth().rowsScanned();
        millis += m.groundTruth().millis();
      }
    }
  }

  @Override
  public JobResult run(JobContext ctx) {
    long deadline = System.nanoTime() + p.maxRuntime.toNanoseconds();
    BooleanSupplier stop = () -> ctx.stopRequested().getAsBoolean() || System.nanoTime() > deadline;
    List<MeasuredIndex> indexes =
        VectorIndexes.read(
            ctx.target().jdbc(), ctx.connection(), VectorIndexes.PGVECTOR, MeasuredIndex::of);
    List<Finding> findings = new ArrayList<>();
    List<Planned> planned = planner.plan(ctx.target().name(), indexes, findings);
    if (ctx.dryRun()) {
      List<ProbeSetReport> sets =
          planned.stream()
              .<ProbeSetReport>map(pl -> planner.dryRun(ctx.target().name(), pl))
              .toList();
      return JobResult.succeeded(
          new RegressionSummary(
              sets, "nothing measured: the probe sets the run would measure", null, null, null),
          findings);
    }
    Progressed done = measureAll(ctx, planned, stop, findings);
    List<ProbeSetReport> sets = done.sets();
    List<String> errors = done.errors();
    TruthCost truth = done.truth();
    boolean stopped = done.stopped();
    findings.addAll(vanished.find(ctx, indexes, planned));
    RegressionSummary summary =
        new RegressionSummary(
            sets, null, truth.rows, truth.millis, stopped ? whyStopped(ctx) : null);
    if (stopped) {
      return JobResult.partial(summary, findings);
    }
    if (errors.isEmpty()) {
      return JobResult.succeeded(summary, findings);
    }
    // findings of the sets not measured stay open: the run did not look at them
    return errors.size() < planned.size()
        ? JobResult.partial(summary, findings)
        : new JobResult(RunStatus.failed, summary, findings, String.join("; ", errors), false);
  }

  /** What the loop over the probe sets produced. */
  private record Progressed(
      List<ProbeSetReport> sets, List<String> errors, TruthCost truth, boolean stopped) {}

  /** Measures each probe set in turn until done, stopped, or out of time. */
  private Progressed measureAll(
      JobContext ctx, List<Planned> planned, BooleanSupplier stop, List<Finding> findings) {
    List<ProbeSetReport> sets = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    TruthCost truth = new TruthCost();
    boolean stopped = false;
    for (int i = 0; i < planned.size() && !stopped; i++) {
      Planned pl = planned.get(i);
      ctx.progress().accept(Progress.of("probe set", pl, i, planned.size()));
      try {
        MeasuredSet m = stop.getAsBoolean() ? null : measure(ctx, pl, stop, findings);
        stopped = m == null;
        if (m != null) {
          sets.add(m);
          truth.add(m);
        }
      } catch (Stopped e) {
        stopped = true;
      } catch (DbException | IllegalArgumentException e) {
        if (e instanceof DbException d && d.isConnectionFailure()) {
          throw d; // the target went away: the run fails, and its session is not reused
        }
        String detail = e instanceof DbException d ? d.detail() : e.getMessage();
        stopped = stop.getAsBoolean();
        if (!stopped) {
          // one index that cannot be measured does not cost the others their measurement
          errors.add(pl.object() + ": " + detail);
          sets.add(MeasuredSet.failed(pl, detail));
          findings.add(measurementFailed(pl, detail));
        }
      }
    }
    return new Progressed(sets, errors, truth, stopped);
  }

  private static Finding measurementFailed(Planned pl, String detail) {
    return Finding.warning(
        pl.object(),
        MEASUREMENT_FAILED,
        "recall of "
            + pl.object()
            + " could not be measured ("
            + detail
            + "); the other indexes were measured",
        Map.of("error", detail));
  }

  private String whyStopped(JobContext ctx) {
    return ctx.stopRequested().getAsBoolean()
        ? "the daemon is shutting down"
        : "maxRuntime " + p.maxRuntime + " reached; the next run measures every probe set again";
  }

  private static Finding missingRole(JobContext ctx, Planned pl, String role) {
    return Finding.warning(
        pl.object(),
        REGRESSION_CONFIG,
        "applicationRole "
            + role
            + " does not exist on target "
            + ctx.target().name()
            + ": "
            + pl.object()
            + " was measured with the database's search settings instead",
        Map.of("applicationRole", role));
  }

  private MeasuredSet measure(
      JobContext ctx, Planned pl, BooleanSupplier stop, List<Finding> findings) {
    Measurement.Outcome o = measurement.measure(ctx, pl, stop);
    if (o.measured() == null) {
      return o.set() == null
          ? MeasuredSet.skipped(pl, null, null, o.skipped())
          : MeasuredSet.skipped(pl, o.probes(), p.k, o.skipped());
    }
    Measurement.Measured r = o.measured();
    if (!r.application().roleExists()) {
      findings.add(missingRole(ctx, pl, r.application().role()));
    }
    Judge.Judged j = judge.judge(ctx, pl, o.set(), r, findings);
    return new MeasuredSet(
        pl.index().qualifiedName(),
        pl.label(),
        pl.filter(),
        o.probes(),
        p.k,
        round(r.recall()),
        r.rerank(),
        r.latency().p50(),
        r.latency().p95(),
        r.latency().p99(),
        r.plan().describe(),
        r.settings(),
        r.application().role(),
        r.application().levels(),
        r.truth(),
        r.starvedShare() == null ? null : round(r.starvedShare()),
        r.sweep(),
        j.pointId(),
        j.note(),
        j.baseline(),
        null,
        null);
  }

  static double round(double v) {
    return Recall.round(v);
  }
}
