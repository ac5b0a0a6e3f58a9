package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code alerts.alertmanagers[i]}: a Prometheus Alertmanager our alerts are posted to. */
public class AlertmanagerConfig {
  @NotBlank
  @Pattern(regexp = ConfigNames.PATTERN, message = ConfigNames.MESSAGE)
  @JsonProperty
  public String name;

  /** The Alertmanager's base URL, e.g. http://alertmanager:9093 (its API is /api/v2/alerts). */
  @NotBlank
  @Pattern(regexp = "https?://.+", message = "must be an http:// or https:// URL")
  @JsonProperty
  public String url;

  @NotNull @JsonProperty public Duration timeout = Duration.seconds(10);
}
