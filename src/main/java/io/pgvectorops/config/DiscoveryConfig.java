package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** How often target files are re-read and the servers of {@code databases: all} re-listed. */
public class DiscoveryConfig {
  @NotNull
  @MinDuration(value = 5, unit = TimeUnit.SECONDS)
  @JsonProperty
  public Duration interval = Duration.minutes(1);
}
