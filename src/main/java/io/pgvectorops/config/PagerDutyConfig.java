package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code alerts.pagerduty[i]}: a PagerDuty service, through its Events API v2. */
public class PagerDutyConfig {
  public static final String EVENTS_API = "https://events.pagerduty.com/v2/enqueue";

  @NotBlank
  @Pattern(regexp = ConfigNames.PATTERN, message = ConfigNames.MESSAGE)
  @JsonProperty
  public String name;

  /** The service's integration (routing) key: a secret, never logged. */
  @JsonProperty public String routingKey;

  /** A file holding the routing key (a bare name: a systemd credential). */
  @JsonProperty public String routingKeyFile;

  @NotBlank
  @Pattern(regexp = "https?://.+", message = "must be an http:// or https:// URL")
  @JsonProperty
  public String url = EVENTS_API;

  @NotNull @JsonProperty public Duration timeout = Duration.seconds(10);
}
