package io.pgvectorops.jobs.quantization;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import java.util.List;

/**
 * What a quantization trial planned and measured: one row per shape, the current index first, with
 * what it measured on the sample and what that comes to on the whole table. A dry run has the plan
 * and no rows.
 *
 * @param scratchBytesEstimated what the sample and its indexes take, as planned (the free space
 *     check keeps twice this free)
 * @param scratchTarget the target the scratch schema is on: the job's own, or params.labTarget
 * @param probeSource where the query vectors came from
 * @param halfM whether half the index's m was tried, and why
 * @param leftoverDropped a scratch schema an earlier run left (it was killed) was dropped first
 * @param recommendation the alternative that holds the target recall at the smallest size, or why
 *     none is recommended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialSummary(
    boolean dryRun,
    String index,
    String table,
    long tableRows,
    Integer sampleRows,
    Long sampleBytes,
    String scratchSchema,
    String scratchTarget,
    @Shown(label = "scratch space estimated", unit = Unit.bytes) long scratchBytesEstimated,
    String freeSpace,
    Integer probes,
    String probeSource,
    int k,
    double targetRecall,
    long maintenanceWorkMemBytes,
    List<String> shapesPlanned,
    String halfM,
    Boolean leftoverDropped,
    List<ShapeResult> shapes,
    String recommendation)
    implements JobSummary {

  /** One ef_search tried: the recall it reached (and its latency when it was the one chosen). */
  public record Step(int efSearch, double recall) {}

  /**
   * One shape's figures.
   *
   * @param sampleIndexBytes its size on the sample
   * @param graphFitMemory no "hnsw graph no longer fits into maintenance_work_mem" notice
   * @param efSearch the smallest ef_search of the ladder that reached the target recall, else the
   *     largest tried
   * @param estimatedBytes its size on the whole table: the size model, scaled by what the model
   *     missed on the sample
   * @param estimatedBuildSeconds the sample's build time scaled as n log n to the whole table
   * @param estimatedBuildMemoryBytes what a build in memory of the whole table needs
   *     (maintenance_work_mem)
   * @param actualBytes the application's index today (the current shape only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ShapeResult(
      String shape,
      String definition,
      String query,
      Long sampleIndexBytes,
      Double buildSeconds,
      Boolean graphFitMemory,
      Integer efSearch,
      Double recall,
      Double p50Ms,
      Double p95Ms,
      Boolean reachesTarget,
      List<Step> sweep,
      Long estimatedBytes,
      Double estimatedBuildSeconds,
      Long estimatedBuildMemoryBytes,
      Long actualBytes,
      String error) {
    static ShapeResult failed(String shape, String definition, String query, String error) {
      return new ShapeResult(
          shape,
          definition,
          query,
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

  TrialSummary measured(
      int sampleRows,
      long sampleBytes,
      int probes,
      String probeSource,
      boolean leftoverDropped,
      List<ShapeResult> shapes,
      String recommendation) {
    return new TrialSummary(
        dryRun,
        index,
        table,
        tableRows,
        sampleRows,
        sampleBytes,
        scratchSchema,
        scratchTarget,
        scratchBytesEstimated,
        freeSpace,
        probes,
        probeSource,
        k,
        targetRecall,
        maintenanceWorkMemBytes,
        shapesPlanned,
        halfM,
        leftoverDropped,
        shapes,
        recommendation);
  }
}
