package io.pgvectorops.jobs.bloat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public class BloatParams {
  /** Estimated bloat (wasted / actual) from which a finding is a warning ... */
  @DecimalMin("0.01")
  @DecimalMax("0.99")
  @JsonProperty
  public double warningRatio = 0.30;

  /** ... and from which it is critical. */
  @DecimalMin("0.01")
  @DecimalMax("0.99")
  @JsonProperty
  public double criticalRatio = 0.60;

  /** Tables and indexes smaller than this never raise a bloat finding. */
  @NotNull @JsonProperty public DataSize minSize = DataSize.megabytes(10);

  /** Look at every table, not only those with a vector column. */
  @JsonProperty public boolean allTables = false;

  /**
   * Tables (and, separately, B-tree indexes) measured with pgstattuple per run, largest first; 0 =
   * never.
   */
  @Min(0)
  @Max(1000)
  @JsonProperty
  public int pgstattupleLimit = 20;

  /** Dead tuples above the autovacuum threshold with no vacuum for this long is autovacuum lag. */
  @Min(1)
  @JsonProperty
  public int autovacuumLagMinutes = 60;

  /**
   * A VACUUM of a table with an HNSW index running longer than a rebuild of the index would take,
   * and at least this long, is a finding (hnsw-vacuum-running-long).
   */
  @NotNull @JsonProperty public Duration vacuumLongerThan = Duration.minutes(10);

  /**
   * Build speed assumed for an index with no rebuild recorded by an index-rebuild job (as that
   * job's estimatedBytesPerSecond).
   */
  @NotNull @JsonProperty public DataSize rebuildBytesPerSecond = DataSize.megabytes(2);

  @ValidationMethod(message = "warningRatio must be below criticalRatio")
  public boolean isOrdered() {
    return warningRatio < criticalRatio;
  }
}
