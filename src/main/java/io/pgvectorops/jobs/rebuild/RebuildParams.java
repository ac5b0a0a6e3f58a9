package io.pgvectorops.jobs.rebuild;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

public class RebuildParams {
  /** Vector indexes whose estimated bloat is at least this are candidates. */
  @DecimalMin("0.01")
  @DecimalMax("0.99")
  @JsonProperty
  public double minBloatRatio = 0.30;

  /** Smaller indexes are not rebuilt for bloat (named ones always are). */
  @NotNull @JsonProperty public DataSize minSize = DataSize.megabytes(10);

  /**
   * Indexes rebuilt whatever their state, as schema.index (an invalid one here is rebuilt, not
   * dropped).
   */
  @NotNull @JsonProperty public List<String> indexes = new ArrayList<>();

  @Min(1)
  @Max(100)
  @JsonProperty
  public int maxIndexesPerRun = 3;

  /** Caps the index bytes rebuilt per run (a rebuild writes about its size in WAL). */
  @NotNull @JsonProperty public DataSize maxBytesPerRun = DataSize.gigabytes(20);

  /**
   * maintenance_work_mem is sized so the HNSW graph fits in memory, at most this (at least 1MiB,
   * PostgreSQL's own minimum: "1MB" in a job file is 10^6 bytes, below it).
   */
  @NotNull
  @MinDataSize(value = 1, unit = DataSizeUnit.MEBIBYTES)
  @JsonProperty
  public DataSize maxMaintenanceWorkMem = DataSize.gigabytes(1);

  /** max_parallel_maintenance_workers for a build, at most this (and what the server allows). */
  @Min(0)
  @Max(64)
  @JsonProperty
  public int maxParallelWorkers = 2;

  /**
   * lock_timeout of the rebuild session: short, a rebuild must never queue behind the application.
   */
  @NotNull @JsonProperty public Duration lockTimeout = Duration.seconds(5);

  /** statement_timeout of one rebuild. */
  @NotNull @JsonProperty public Duration statementTimeout = Duration.hours(6);

  /** VACUUM the table after rebuilding its HNSW index (pgvector: reindex first, then vacuum). */
  @JsonProperty public boolean vacuumAfter = true;

  /**
   * An HNSW index whose table has at least this share of dead tuples since its last vacuum is
   * rebuilt, and its table vacuumed after (vacuumAfter): pgvector's README advises REINDEX before
   * VACUUM after mass deletes. 0 turns it off.
   */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double rebuildBeforeVacuumDeadShare = 0.20;

  /**
   * From this share of dead tuples on, an HNSW index is also rebuilt before VACUUM when its table's
   * past vacuums took longer on average than a rebuild of the index would (PostgreSQL 18 and later
   * record vacuum times; the rebuild from the index's own last rebuild, else
   * estimatedBytesPerSecond). 0 turns it off.
   */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double rebuildBeforeSlowVacuumDeadShare = 0.05;

  /**
   * Rebuild IVFFlat indexes whose lists are far from pgvector's guidance with the recommended
   * lists.
   */
  @JsonProperty public boolean relistIvfflat = true;

  @Min(1)
  @JsonProperty
  public long minRowsForRelist = 10_000;

  /** Postpone while a transaction or snapshot older than this exists in the database. */
  @NotNull @JsonProperty public Duration oldTransaction = Duration.minutes(1);

  /** Build speed assumed to judge whether a rebuild ends before the window closes. */
  @NotNull @JsonProperty public DataSize estimatedBytesPerSecond = DataSize.megabytes(2);
}
