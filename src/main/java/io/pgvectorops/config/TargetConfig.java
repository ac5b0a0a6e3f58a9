package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One PostgreSQL server (database) the daemon watches. */
public class TargetConfig {
  @NotBlank
  @Pattern(regexp = ConfigNames.PATTERN, message = ConfigNames.MESSAGE)
  @JsonProperty
  public String name;

  @NotBlank
  @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql:// URL")
  @JsonProperty
  public String url;

  @NotBlank @JsonProperty public String user;

  @JsonProperty public String password;

  @JsonProperty public String passwordFile;

  @Min(1)
  @Max(50)
  @JsonProperty
  public int maxConnections = 4;

  /**
   * The application's role: the regression job measures with the search settings its new sessions
   * get (ALTER ROLE … SET, ALTER DATABASE … SET, the server's). Unset: the database's defaults.
   */
  @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$.-]{0,62}", message = "must be a role name")
  @JsonProperty
  public String applicationRole;

  @NotNull @JsonProperty public Duration statementTimeout = Duration.seconds(60);

  @NotNull @JsonProperty public Duration lockTimeout = Duration.seconds(5);

  @NotNull @JsonProperty public Duration connectTimeout = Duration.seconds(10);

  /**
   * The host's memory, which SQL cannot see: the capacity job's recommendations are bounded by it.
   * Unset: they assume the host has room for them, and say so.
   */
  @JsonProperty public io.dropwizard.util.DataSize memory;

  /** TLS to this server; unset: the driver's default (sslmode prefer, no verification). */
  @jakarta.validation.Valid @JsonProperty public TlsConfig tls;
}
