package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

public class RegressionParams extends SearchSettings {
  public enum Source {
    /**
     * Rows sampled from the table with a little noise added: a query equal to a stored row is too
     * easy.
     */
    perturbed,
    /**
     * Rows sampled from the table as they are (their own row is still excluded from the answer).
     */
    sample,
    /** The vectors returned by probeSql. */
    sql
  }

  public enum GroundTruthMethod {
    /** One streamed pass over the table, distances computed by the daemon (vector and halfvec). */
    scan,
    /** One exact ORDER BY ... LIMIT k per probe with index scans off (every type and operator). */
    queries
  }

  /** Query vectors per probe set, fixed once chosen (kept in the state schema). */
  @Min(1)
  @Max(1000)
  @JsonProperty
  public int probes = 50;

  /** Neighbours per query: recall@k. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  public int k = 10;

  @NotNull @JsonProperty public Source source = Source.perturbed;

  /** Noise added to a sampled vector, relative to its length (0.05: 5%). */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double perturbation = 0.05;

  /** With source: sql, a query returning query vectors in its first column (castable from text). */
  @JsonProperty public String probeSql;

  /** Indexes to measure; empty: every hnsw and ivfflat index of the database, unfiltered. */
  @Valid @NotNull @JsonProperty public List<ProbeSetParams> indexes = new ArrayList<>();

  /** Timed executions of each query after one warm-up; latency percentiles are over all of them. */
  @Min(1)
  @Max(100)
  @JsonProperty
  public int repetitions = 3;

  /** A recall regression: below the baseline's recall by more than this. */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double recallDrop = 0.02;

  /** ... critical when below the baseline by more than this. */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double criticalRecallDrop = 0.10;

  /** A latency regression: p95 above the baseline's p95 times this ... */
  @DecimalMin("1")
  @JsonProperty
  public double latencyFactor = 1.5;

  /** ... and by at least this much (sub-millisecond jitter is not a regression). */
  @NotNull @JsonProperty public Duration minLatencyIncrease = Duration.milliseconds(1);

  /**
   * A regression is reported when this many consecutive runs show it (one noisy run is not one).
   */
  @Min(1)
  @Max(100)
  @JsonProperty
  public int consecutiveRuns = 2;

  /** Recall the tuning sweep looks for. */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double targetRecall = 0.95;

  /** Recall below targetRecall is a warning; below this, critical. */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double criticalRecall = 0.80;

  @ValidationMethod(message = "criticalRecall must not be above targetRecall")
  public boolean isCriticalRecallBelowTarget() {
    return criticalRecall <= targetRecall;
  }

  /**
   * Run the tuning sweep (each ladder value once per probe, up to the first that reaches
   * targetRecall).
   */
  @JsonProperty public boolean sweep = true;

  @NotNull @JsonProperty
  public List<Integer> efSearchLadder =
      new ArrayList<>(List.of(10, 20, 40, 80, 160, 320, 640, 1000));

  @NotNull @JsonProperty
  public List<Integer> probesLadder =
      new ArrayList<>(List.of(1, 2, 4, 8, 16, 32, 64, 128, 256, 512));

  /**
   * Ground truth is recomputed when inserts+updates+deletes since it was computed exceed this share
   * of the rows.
   */
  @DecimalMin("0")
  @DecimalMax("10")
  @JsonProperty
  public double groundTruthMaxChange = 0.05;

  /** Unset: scan where the column type allows it (vector, halfvec), queries otherwise. */
  @JsonProperty public GroundTruthMethod groundTruthMethod;

  /**
   * Filtered probe sets: a share of queries returning fewer than k rows although k match, above
   * which it is a finding.
   */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double starvationThreshold = 0.10;

  /** statement_timeout of every statement the job sends to the target. */
  @NotNull @JsonProperty public Duration statementTimeout = Duration.minutes(5);

  /**
   * The run stops after this (between queries) and is recorded as incomplete; the next run starts
   * over.
   */
  @NotNull @JsonProperty public Duration maxRuntime = Duration.minutes(30);

  @ValidationMethod(message = "source: sql needs probeSql (a query returning the query vectors)")
  public boolean isProbeSqlPresent() {
    return source != Source.sql || (probeSql != null && !probeSql.isBlank());
  }

  @ValidationMethod(
      message = "efSearchLadder and probesLadder need at least one value, each at least 1")
  public boolean isLaddersValid() {
    return !efSearchLadder.isEmpty()
        && !probesLadder.isEmpty()
        && efSearchLadder.stream().allMatch(v -> v != null && v >= 1)
        && probesLadder.stream().allMatch(v -> v != null && v >= 1);
  }

  /** One index to measure, optionally only on the rows a filter selects (filtered search). */
  public static class ProbeSetParams extends SearchSettings {
    /** schema.index (or index, in public). */
    @NotBlank @JsonProperty public String index;

    /**
     * A SQL condition on the table's columns, e.g. "tenant_id = 7"; the queries and the ground
     * truth use it.
     */
    @JsonProperty public String filter;

    /**
     * The probe set's name in the series and findings; default "all rows", or the filter itself.
     */
    @JsonProperty public String label;

    /**
     * The role whose search settings (ALTER ROLE … SET) this probe set is measured with; unset: the
     * target's applicationRole.
     */
    @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$.-]{0,62}", message = "must be a role name")
    @JsonProperty
    public String applicationRole;

    /**
     * For an index of a reduced form (binary_quantize, subvector): the distance the application
     * re-ranks the index's candidates by, on the full vectors; default the index's own operator for
     * a subvector, else cosine (pgvector's README).
     */
    @Pattern(regexp = "<->|<#>|<=>|<\\+>", message = "must be one of <->, <#>, <=>, <+>")
    @JsonProperty
    public String rerankOperator;

    /** How many candidates the index returns for re-ranking; default 4 × k. */
    @Min(1)
    @Max(10000)
    @JsonProperty
    public Integer rerankCandidates;

    /** schema.index as the inventory names it; a bare name is in public. */
    String qualifiedIndex() {
      return index.contains(".") ? index : "public." + index;
    }
  }
}
