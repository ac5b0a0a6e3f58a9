package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Target labels exported on pgvector_ops_target_labels_info (one series per target, to join on):
   * only those named here, so the series stay bounded by the fleet's size whatever labels target
   * files carry.
   */
  @NotNull @JsonProperty
  public List<
          @Pattern(
              regexp = "(?!target$|job$|instance$)[a-zA-Z_][a-zA-Z0-9_]{0,62}",
              message =
                  "must be a label name (letters, digits, '_'), and not target, job or instance")
          String>
      targetLabels = new ArrayList<>();
}
