package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.regression.Measurement.Measured;
import io.pgvectorops.jobs.regression.RegressionStore.Baseline;
import io.pgvectorops.jobs.regression.RegressionStore.Point;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.jobs.regression.RegressionSummary.BaselineSeen;
import io.pgvectorops.jobs.regression.RegressionSummary.SweepStep;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Judges one probe set's measurement against its baseline: stores the point (pinning the first good
 * one, or a new one when the index definition changed), and raises plan, recall, latency,
 * starvation and tuning findings. A regression counts when it lasts consecutiveRuns runs.
 */
final class Judge {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the summary says about the point stored. */
  record Judged(long pointId, String note, BaselineSeen baseline) {}

  /** The baseline in force for this measurement, and whether each figure breaches it now. */
  private record Against(
      Optional<Baseline> baseline,
      boolean newDefinition,
      boolean raised,
      Point base,
      boolean recall,
      boolean latency) {
    /** Why a point noted as a new baseline is pinned. */
    String pinReason() {
      if (newDefinition) {
        return "index definition changed";
      }
      return raised ? "recall rose above a below-target baseline" : "first good run";
    }
  }

  private final RegressionParams p;
  private final RegressionStore store;

  Judge(RegressionParams p, RegressionStore store) {
    this.p = p;
    this.store = store;
  }

  Judged judge(JobContext ctx, Planned pl, ProbeSet set, Measured r, List<Finding> findings) {
    Against a = against(pl, set, r);
    String note = note(pl, r, a);
    List<Point> earlier =
        a.base() == null ? List.of() : store.recentPoints(set.id(), p.consecutiveRuns - 1);
    long id = store.savePoint(set.id(), point(ctx, pl, r, a, note, p.targetRecall));
    if (note != null) {
      String reason =
          a.pinReason()
              + (r.recall() < p.targetRecall ? ", below the target " + p.targetRecall : "");
      store.pinBaseline(set.id(), id, reason, ctx.clock().instant());
    }
    Metrics figures = figures(r, a.base());
    RegressionFindings out = new RegressionFindings(p, pl, r, figures, findings);
    if (!r.plan().usesIndex()) {
      out.planNotUsingIndex(a.baseline().isPresent());
    }
    if (a.base() != null && sustained(a.recall(), earlier, a.base().id(), Point::recallBreach)) {
      out.recallRegression(a.base());
    }
    if (a.base() != null && sustained(a.latency(), earlier, a.base().id(), Point::latencyBreach)) {
      out.latencyRegression(a.base());
    }
    if (r.starvedShare() != null && r.starvedShare() > p.starvationThreshold) {
      out.starved();
    }
    belowTarget(out, r);
    return new Judged(
        id,
        note,
        a.base() == null
            ? null
            : new BaselineSeen(
                a.base().id(),
                RegressionJob.round(a.base().recall()),
                a.base().p95Ms(),
                a.base().measuredAt().toString()));
  }

  private Against against(Planned pl, ProbeSet set, Measured r) {
    Optional<Baseline> baseline = store.baseline(set.id());
    boolean newDefinition =
        baseline.isPresent()
            && !baseline.get().point().indexDefinition().equals(pl.index().definition());
    boolean raised =
        baseline.isPresent() && !newDefinition && r.plan().usesIndex() && raises(baseline.get(), r);
    Point base = baseline.isPresent() && !newDefinition && !raised ? baseline.get().point() : null;
    boolean recallBreach = base != null && r.recall() < base.recall() - p.recallDrop;
    boolean latencyBreach =
        base != null
            && r.latency().p95() > base.p95Ms() * p.latencyFactor
            && r.latency().p95() - base.p95Ms() >= p.minLatencyIncrease.toMilliseconds();
    return new Against(baseline, newDefinition, raised, base, recallBreach, latencyBreach);
  }

  /**
   * An automatic baseline below the target recall is provisional: a point whose recall is clearly
   * higher (by more than recallDrop) takes its place, recall and latency together, so a later
   * better run is never judged against the latency of a worse one. A baseline pinned through the
   * API stays where the operator put it.
   */
  private boolean raises(Baseline b, Measured r) {
    return !RegressionResource.PINNED_BY_API.equals(b.reason())
        && b.point().recall() < p.targetRecall
        && r.recall() > b.point().recall() + p.recallDrop;
  }

  private String note(Planned pl, Measured r, Against a) {
    if (!r.plan().usesIndex()) {
      return null;
    }
    String below =
        r.recall() < p.targetRecall
            ? " (recall "
                + RegressionJob.round(r.recall())
                + " is below the target "
                + p.targetRecall
                + ": a later run with clearly higher recall replaces this baseline)"
            : "";
    if (a.baseline().isEmpty()) {
      return "baseline: first good run" + below;
    }
    if (a.newDefinition()) {
      return "index definition changed: new baseline (was: "
          + a.baseline().get().point().indexDefinition()
          + ")"
          + below;
    }
    if (a.raised()) {
      return "baseline raised: recall "
          + RegressionJob.round(r.recall())
          + " above the below-target baseline "
          + RegressionJob.round(a.baseline().get().point().recall())
          + " of "
          + a.baseline().get().point().measuredAt()
          + below;
    }
    return null;
  }

  private static Point point(
      JobContext ctx, Planned pl, Measured r, Against a, String note, double target) {
    return new Point(
        0,
        ctx.runId(),
        ctx.clock().instant(),
        r.recall(),
        r.latency().p50(),
        r.latency().p95(),
        r.latency().p99(),
        settingsJson(r.settings()),
        pl.index().definition(),
        r.plan().usesIndex(),
        r.starvedShare(),
        a.recall(),
        a.latency(),
        a.base() == null ? null : a.base().id(),
        note,
        JSON.valueToTree(r.sweep()),
        r.rerank() == null ? null : JSON.valueToTree(r.rerank()),
        target);
  }

  static JsonNode settingsJson(Map<String, String> settings) {
    return JSON.valueToTree(settings);
  }

  /** The figures every finding of this measurement carries. */
  private Metrics figures(Measured r, Point base) {
    Metrics figures =
        Metrics.of()
            .put("recall", RegressionJob.round(r.recall()))
            .put("k", p.k)
            .put("p95Ms", r.latency().p95())
            .put("settings", r.settings());
    if (base != null) {
      figures
          .put("baselineRecall", RegressionJob.round(base.recall()))
          .put("baselineP95Ms", base.p95Ms())
          .put(
              "baselineSettings",
              JSON.convertValue(base.settings(), new TypeReference<Map<String, String>>() {}))
          .put("baselineAt", base.measuredAt().toString());
    }
    return figures;
  }

  private void belowTarget(RegressionFindings out, Measured r) {
    if (r.recall() >= p.targetRecall || !r.plan().usesIndex()) {
      return;
    }
    List<SweepStep> measured = r.sweep().stream().filter(SweepStep::measured).toList();
    SweepStep last = measured.isEmpty() ? null : measured.get(measured.size() - 1);
    Integer dropped =
        r.sweep().stream()
            .filter(s -> Boolean.FALSE.equals(s.planUsesIndex()))
            .map(SweepStep::value)
            .findFirst()
            .orElse(null);
    boolean reached = last != null && last.recall() >= p.targetRecall;
    out.belowTarget(reached ? last : null, reached ? null : last, dropped);
  }

  private boolean sustained(
      boolean now, List<Point> earlier, long baselineId, Predicate<Point> breach) {
    if (!now || earlier.size() < p.consecutiveRuns - 1) {
      return false;
    }
    return earlier.stream()
        .limit(p.consecutiveRuns - 1L)
        .allMatch(e -> Objects.equals(e.baselineId(), baselineId) && breach.test(e));
  }
}
