package io.pgvectorops.jobs.prewarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

public class PrewarmParams {
  /** Share of shared_buffers the chosen relations may fill; never more than fits. */
  @DecimalMin("0.01")
  @DecimalMax("0.95")
  @JsonProperty
  public double budgetShare = 0.5;

  /** Relations below this residency are loaded. */
  @DecimalMin("0")
  @DecimalMax("1")
  @JsonProperty
  public double residencyThreshold = 0.9;

  /** Also warm the tables of the vector indexes (after all the indexes). */
  @JsonProperty public boolean includeTables = false;

  /** Only these relations (schema.name), in this order; empty: every vector index by use. */
  @NotNull @JsonProperty public List<String> relations = new ArrayList<>();
}
