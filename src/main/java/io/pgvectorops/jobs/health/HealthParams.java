package io.pgvectorops.jobs.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public class HealthParams {
  /**
   * Installed pgvector older than this is a warning. 0.8.0 brought iterative index scans (filtered
   * queries that no longer starve) and many HNSW vacuum fixes.
   */
  @NotNull
  @Pattern(regexp = "\\d+(\\.\\d+){0,2}", message = "must be a version like 0.8.0")
  @JsonProperty
  public String minPgvectorVersion = "0.8.0";
}
