package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The Prometheus metrics on the admin port's /metrics/prometheus. */
public class PrometheusConfig {
  /**
   * A target's largest vector indexes that get series of their own; the rest are counted in
   * pgvector_ops_target_indexes_not_exported. Bounds the series: about 10 per index.
   */
  @Min(0)
  @Max(10_000)
  @JsonProperty
  public int maxIndexesPerTarget = 100;
}
