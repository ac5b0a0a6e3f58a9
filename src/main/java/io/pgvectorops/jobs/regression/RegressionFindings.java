package io.pgvectorops.jobs.regression;

import static io.pgvectorops.jobs.regression.RegressionJob.round;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.regression.Measurement.Measured;
import io.pgvectorops.jobs.regression.RegressionStore.Point;
import io.pgvectorops.jobs.regression.RegressionSummary.SweepStep;
import java.util.List;

/**
 * The findings one probe set's measurement can raise, each with the shared figures and its own,
 * worded for the operator who reads them at 3 a.m.
 */
final class RegressionFindings {
  private final RegressionParams p;
  private final Planned pl;
  private final MeasuredIndex idx;
  private final Measured r;
  private final Metrics figures;
  private final List<Finding> out;

  RegressionFindings(
      RegressionParams p, Planned pl, Measured r, Metrics figures, List<Finding> out) {
    this.p = p;
    this.pl = pl;
    this.idx = pl.index();
    this.r = r;
    this.figures = figures;
    this.out = out;
  }

  private Metrics with(String name, Number value) {
    return figures.copy().put(name, value);
  }

  /** A plan that stopped using the index is critical once a baseline exists; before, a warning. */
  void planNotUsingIndex(boolean hadBaseline) {
    Metrics m = figures.copy().put("plan", r.plan().describe());
    out.add(hadBaseline ? planRegression(m) : notUsingIndex(m));
  }

  private Finding planRegression(Metrics m) {
    return Finding.critical(
        pl.object(),
        RegressionJob.PLAN_REGRESSION,
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
        m.asMap());
  }

  private Finding notUsingIndex(Metrics m) {
    return Finding.warning(
        pl.object(),
        RegressionJob.PLAN_NOT_USING_INDEX,
        "the planner does not use "
            + idx.qualifiedName()
            + " for its nearest-neighbour query ("
            + r.plan().describe()
            + "), so recall says"
            + " nothing about the index; common causes: a small table, "
            + idx.searchSetting()
            + " too high"
            + (idx.hnsw() ? "" : " (probes >= lists)")
            + (idx.hnsw() ? "" : tooFewLists())
            + ", or a filter a B-tree serves better",
        m.asMap());
  }

  /**
   * An IVFFlat index built when its table was smaller keeps the lists chosen then; grown, each list
   * is long, a search reads a large share of the table, and the planner prefers a scan.
   */
  private String tooFewLists() {
    Long rows = r.truth() == null ? null : r.truth().rowsScanned();
    String here =
        rows == null || rows == 0
            ? ""
            : " (here "
                + idx.lists()
                + " for about "
                + rows
                + " rows: guidance "
                + IndexFacts.idealLists(rows)
                + ")";
    return ", lists far below pgvector's guidance of rows / 1000"
        + here
        + ", which the index-rebuild job re-lists (relistIvfflat)";
  }

  void recallRegression(Point base) {
    double drop = base.recall() - r.recall();
    Finding.Severity sev =
        drop > p.criticalRecallDrop ? Finding.Severity.critical : Finding.Severity.warning;
    JsonNode now = Judge.settingsJson(r.settings());
    boolean settingsChanged = !base.settings().equals(now);
    out.add(
        Finding.of(
            pl.object(),
            RegressionJob.RECALL_REGRESSION,
            sev,
            recallNow()
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
                    : "; settings unchanged, so the index itself degraded: rebuild it"
                        + " (REINDEX INDEX CONCURRENTLY "
                        + idx.qualifiedName()
                        + ")"),
            with("drop", round(drop)).asMap()));
  }

  void latencyRegression(Point base) {
    double factor = r.latency().p95() / Math.max(0.001, base.p95Ms());
    out.add(
        Finding.warning(
            pl.object(),
            RegressionJob.LATENCY_REGRESSION,
            "p95 latency of "
                + idx.qualifiedName()
                + " ["
                + pl.label()
                + "] is "
                + r.latency().p95()
                + " ms against "
                + base.p95Ms()
                + " ms at its baseline ("
                + Math.round(10 * factor) / 10.0
                + "x) for "
                + p.consecutiveRuns
                + " runs",
            with("factor", factor).asMap()));
  }

  void starved() {
    String iterative = r.settings().getOrDefault(idx.iterativeScanSetting(), "off");
    out.add(
        Finding.warning(
            pl.object(),
            RegressionJob.FILTERED_SEARCH_STARVED,
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
                + search()
                + "). Enable "
                + idx.iterativeScanSetting()
                + " = relaxed_order (pgvector 0.8), raise "
                + idx.searchSetting()
                + ", or create a partial index WHERE "
                + pl.filter(),
            with("starvedShare", round(r.starvedShare()))
                .put("setting", idx.iterativeScanSetting())
                .asMap()));
  }

  /**
   * Recall below the target is the most important thing this job can say about an index: a warning,
   * critical below criticalRecall. It carries the sweep's setting that reaches the target, or the
   * rebuild shape when none does.
   */
  void belowTarget(SweepStep reached, SweepStep best, Integer planDroppedAt) {
    Finding.Severity sev =
        r.recall() < p.criticalRecall ? Finding.Severity.critical : Finding.Severity.warning;
    Metrics m = figures.copy().put("targetRecall", p.targetRecall).put("sweep", r.sweep());
    String fix;
    if (reached != null) {
      fix = reached(reached);
      m.put("setting", idx.searchSetting()).put("suggested", reached.value());
    } else if (best != null) {
      fix = notReached(best, planDroppedAt);
    } else {
      fix = "the sweep is off (sweep: false), so no setting was tried";
    }
    out.add(
        Finding.of(
            pl.object(),
            RegressionJob.RECALL_BELOW_TARGET,
            sev,
            recallNow()
                + ", below the target "
                + p.targetRecall
                + (sev == Finding.Severity.critical
                    ? " (critical below " + p.criticalRecall + ")"
                    : "")
                + ", with "
                + idx.searchSetting()
                + " = "
                + search()
                + "; "
                + fix,
            m.asMap()));
  }

  private String reached(SweepStep step) {
    return step.value()
        + " reaches "
        + step.recall()
        + " at p95 "
        + step.p95Ms()
        + " ms against "
        + r.latency().p95()
        + " ms now: SET "
        + idx.searchSetting()
        + " = "
        + step.value()
        + " for the application's queries";
  }

  private String notReached(SweepStep best, Integer planDroppedAt) {
    String planNote =
        planDroppedAt == null
            ? ""
            : " (at "
                + planDroppedAt
                + " the planner stops using the index: searches"
                + " would become exact sequential scans)";
    return "no value up to "
        + best.value()
        + " reaches it (best "
        + best.recall()
        + ")"
        + planNote
        + ": the index itself limits recall; rebuild it with "
        + (idx.hnsw() ? "a larger m or ef_construction" : "lists suited to its rows");
  }

  /** "recall@10 of public.items_hnsw [all rows] is 0.91" */
  private String recallNow() {
    return "recall@"
        + p.k
        + " of "
        + idx.qualifiedName()
        + " ["
        + pl.label()
        + "] is "
        + round(r.recall());
  }

  /** The ef_search / probes the measurement ran with. */
  private String search() {
    return r.settings().get(idx.searchSetting());
  }
}
