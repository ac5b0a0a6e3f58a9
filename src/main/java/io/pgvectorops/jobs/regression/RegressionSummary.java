package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import java.util.List;
import java.util.Map;

/**
 * What a regression run measured, probe set by probe set. A dry run lists what it would measure; a
 * run cut short says why ({@code stopped}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegressionSummary(
    List<ProbeSetReport> probeSets,
    String dryRun,
    Long groundTruthRowsScanned,
    Long groundTruthMillis,
    String stopped)
    implements JobSummary {

  /** One probe set in the summary: measured, skipped, failed, or (dry run) planned. */
  public sealed interface ProbeSetReport permits MeasuredSet, PlannedSet {
    String index();

    String label();
  }

  /** A probe set measured (or skipped with the reason, or failed with the error). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MeasuredSet(
      String index,
      String label,
      String filter,
      Integer probes,
      Integer k,
      Double recall,
      Reranked rerank,
      Double p50Ms,
      Double p95Ms,
      Double p99Ms,
      String plan,
      Map<String, String> settings,
      String applicationRole,
      Map<String, String> settingsFrom,
      GroundTruthInfo groundTruth,
      Double starvedShare,
      List<SweepStep> sweep,
      Long pointId,
      String note,
      BaselineSeen baseline,
      String skipped,
      String error)
      implements ProbeSetReport {
    static MeasuredSet skipped(Planned pl, Integer probes, Integer k, String why) {
      return new MeasuredSet(
          pl.index().qualifiedName(),
          pl.label(),
          pl.filter(),
          probes,
          k,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          why,
          null);
    }

    static MeasuredSet failed(Planned pl, String error) {
      return new MeasuredSet(
          pl.index().qualifiedName(),
          pl.label(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          error);
    }
  }

  /** A dry run's probe set: what it would sample and whether its ground truth is cached. */
  public record PlannedSet(
      String index, String label, String filter, String probes, String groundTruth)
      implements ProbeSetReport {}

  /** Where the exact neighbours came from: the cache (and how much the table changed) or now. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GroundTruthInfo(
      boolean computed,
      String method,
      @Shown(unit = Unit.time) String computedAt,
      Long changesSince,
      Long rowsScanned,
      Long millis) {}

  /**
   * One value of the ef_search / probes ladder: measured, or not (the planner stopped using the
   * index at that value).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SweepStep(int value, Double recall, Double p95Ms, Boolean planUsesIndex) {
    boolean measured() {
      return recall != null;
    }
  }

  /**
   * recall@k after the application's re-ranking: {@code candidates} rows from the index, re-ordered
   * by the full vectors with {@code operator}.
   */
  public record Reranked(String operator, int candidates, double recall) {}

  /** The baseline a measurement was judged against. */
  public record BaselineSeen(
      long pointId, double recall, double p95Ms, @Shown(unit = Unit.time) String measuredAt) {}

  /** Where a long run is, for the dashboard while it runs. */
  public record Progress(String phase, String index, String label, int done, int total)
      implements JobSummary {
    static Progress of(String phase, Planned pl, int done, int total) {
      return new Progress(phase, pl.index().qualifiedName(), pl.label(), done, total);
    }
  }
}
