package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;

public class WebhookConfig {
  @NotBlank
  @Pattern(regexp = ConfigNames.PATTERN, message = ConfigNames.MESSAGE)
  @JsonProperty
  public String name;

  @NotBlank @JsonProperty public String url;

  @NotNull
  @Pattern(regexp = "json|slack", message = "must be json or slack")
  @JsonProperty
  public String format = "json";

  /**
   * When set, the body is signed: X-PgvectorOps-Signature: sha256=HMAC-SHA256(secret, body) in hex.
   */
  @JsonProperty public String secret;

  @NotNull @JsonProperty public Map<String, String> headers = new LinkedHashMap<>();

  @NotNull @JsonProperty public Duration timeout = Duration.seconds(10);
}
