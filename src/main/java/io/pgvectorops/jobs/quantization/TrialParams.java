package io.pgvectorops.jobs.quantization;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.pgvectorops.jobs.TargetName;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.concurrent.TimeUnit;

public class TrialParams {
  /** The HNSW index on a vector column whose alternatives are tried, as schema.index. */
  @NotBlank @JsonProperty public String index;

  /**
   * A target (in config.yml) where the scratch schema is made and the shapes are built, e.g. a
   * restored copy; the job's own target is then only read: the sample, and the query vectors.
   * Unset: the job's own target.
   */
  @TargetName @JsonProperty public String labTarget;

  /** Rows copied into the scratch schema, at most (fewer when sampleBytes is reached first). */
  @Min(100)
  @Max(10_000_000)
  @JsonProperty
  public int sampleRows = 50_000;

  /** Bytes of vectors copied into the scratch schema, at most. */
  @NotNull
  @MinDataSize(1)
  @JsonProperty
  public DataSize sampleBytes = DataSize.megabytes(512);

  /** Query vectors the shapes are measured with. */
  @Min(5)
  @Max(1000)
  @JsonProperty
  public int probes = 50;

  /**
   * A query returning the application's query vectors (its first column); unset: the regression
   * job's query vectors for this index, else rows of the table outside the sample.
   */
  @JsonProperty public String probeSql;

  @Min(1)
  @Max(1000)
  @JsonProperty
  public int k = 10;

  /** The recall an alternative must hold to be recommended; the shapes are compared at it. */
  @DecimalMin("0.5")
  @DecimalMax("1.0")
  @JsonProperty
  public double targetRecall = 0.95;

  /** binary_quantize + re-rank: the index returns k x this candidates, re-ranked by the vectors. */
  @Min(1)
  @Max(100)
  @JsonProperty
  public int rerankFactor = 4;

  /** hnsw.ef_search values tried, smallest first, until a shape reaches targetRecall. */
  @NotEmpty @JsonProperty
  public List<Integer> efSearchLadder = List.of(40, 80, 160, 320, 640, 1000);

  /** Timed runs of each query at the chosen ef_search (after one run that measures recall). */
  @Min(1)
  @Max(20)
  @JsonProperty
  public int repetitions = 3;

  /** maintenance_work_mem of the builds; unset: the server's, as the application's builds get. */
  @MinDataSize(1)
  @JsonProperty
  public DataSize maintenanceWorkMem;

  /** Parallel workers of the builds: 0 by default, so build times compare like with like. */
  @Min(0)
  @Max(64)
  @JsonProperty
  public int parallelWorkers = 0;

  /** statement_timeout of each statement: the copy, each build, each measurement. */
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.SECONDS)
  @JsonProperty
  public Duration statementTimeout = Duration.minutes(30);

  /** lock_timeout of each statement (the sample only takes AccessShare on the table). */
  @NotNull @JsonProperty public Duration lockTimeout = Duration.seconds(5);

  /**
   * Also try the index with half its m, where the regression job measured it at or above
   * targetRecall (there is recall to trade for a smaller graph).
   */
  @JsonProperty public boolean tryHalfM = true;
}
