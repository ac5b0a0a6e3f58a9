package io.pgvectorops.jobs.capacity;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

public class CapacityParams {
  /** A limit crossed within this many days at the measured growth is a warning ... */
  @Min(1)
  @Max(3650)
  @JsonProperty
  public int warningDays = 30;

  /** ... and within this many, critical. */
  @Min(0)
  @Max(3650)
  @JsonProperty
  public int criticalDays = 7;

  /** No growth is fitted, and nothing forecast, from fewer days of history than this. */
  @Min(2)
  @Max(365)
  @JsonProperty
  public int minHistoryDays = 7;

  /** Crossings further away than this are "not within horizon". */
  @Min(1)
  @Max(3650)
  @JsonProperty
  public int horizonDays = 365;

  /** A vector index with at least this share in shared buffers (prewarm) counts as hot. */
  @DecimalMin("0.0")
  @DecimalMax("1.0")
  @JsonProperty
  public double hotResidency = 0.2;

  /** Recommended maintenance_work_mem: the largest build's estimate times this. */
  @DecimalMin("1.0")
  @DecimalMax("4.0")
  @JsonProperty
  public double margin = 1.25;

  /**
   * A table with an HNSW index that is updated or deleted from, with at least this many rows, is
   * advised autovacuumScaleFactor when its own is larger.
   */
  @Min(0)
  @JsonProperty
  public long autovacuumAdviceMinRows = 100_000;

  /** The autovacuum_vacuum_scale_factor advised for such a table. */
  @DecimalMin("0.0")
  @DecimalMax("1.0")
  @JsonProperty
  public double autovacuumScaleFactor = 0.05;
}
