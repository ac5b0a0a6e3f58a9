package io.pgvectorops.jobs.slowqueries;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public class SlowQueriesParams {
  /** A vector query is slow when its mean time over the interval is above this ... */
  @Min(0)
  @JsonProperty
  public double vectorMeanMs = 50;

  /** ... over at least this many calls in the interval. */
  @Min(1)
  @JsonProperty
  public long vectorMinCalls = 10;

  /** Other queries: their own, higher, threshold. */
  @Min(0)
  @JsonProperty
  public double otherMeanMs = 500;

  @Min(1)
  @JsonProperty
  public long otherMinCalls = 10;

  /** A mean this many times the threshold is critical. */
  @Min(1)
  @JsonProperty
  public double criticalFactor = 5;

  /** Sequential scans on a table with a vector index matter from this size. */
  @NotNull @JsonProperty public DataSize seqScanMinTableSize = DataSize.megabytes(10);

  /** Statements running, and sessions idle in a transaction, longer than this. */
  @NotNull @JsonProperty public Duration longRunning = Duration.minutes(5);

  /** Snapshots older than this are deleted (the latest is always kept). */
  @NotNull @JsonProperty public Duration retention = Duration.days(2);

  /**
   * A slow statement that did not run in an interval, or a sequentially scanned table not read at
   * all, keeps its finding open this long after the last interval that showed it.
   */
  @NotNull @JsonProperty public Duration quietKeep = Duration.days(1);

  /**
   * An INSERT or UPDATE on a table with a vector index whose shared buffers per row written grew to
   * this many times the lowest it has shown is write-amplification ...
   */
  @DecimalMin("1")
  @JsonProperty
  public double writeAmplificationFactor = 5;

  /** ... judged on intervals in which it wrote at least this many rows. */
  @Min(1)
  @JsonProperty
  public long writeMinRows = 1000;

  /** Slow statements reported per run at most, slowest first. */
  @Min(1)
  @JsonProperty
  public int maxFindings = 20;
}
