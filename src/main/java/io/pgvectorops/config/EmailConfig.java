package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;

public class EmailConfig {
  @NotBlank @JsonProperty public String host;

  @Min(1)
  @Max(65535)
  @JsonProperty
  public int port = 25;

  /** smtp (plain), starttls (upgrade on the plain port), smtps (TLS from the first byte). */
  @NotNull
  @Pattern(regexp = "smtp|starttls|smtps", message = "must be smtp, starttls or smtps")
  @JsonProperty
  public String transport = "smtp";

  @JsonProperty public String username;
  @JsonProperty public String password;
  @JsonProperty public String passwordFile;

  @JsonProperty public String from;

  @NotNull @JsonProperty public List<String> to = new ArrayList<>();

  @NotNull @JsonProperty public Duration timeout = Duration.seconds(30);
}
