package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One PostgreSQL server (database) the daemon watches. */
public class TargetConfig {
  @NotBlank
  @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}", message = "must be 1-63 letters, digits, '_', '.' or '-'")
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
  public int maxConnections = 2;

  @NotNull @JsonProperty public Duration statementTimeout = Duration.seconds(60);

  @NotNull @JsonProperty public Duration lockTimeout = Duration.seconds(5);

  @NotNull @JsonProperty public Duration connectTimeout = Duration.seconds(10);

  @ValidationMethod(message = "sets both password and passwordFile: use one")
  public boolean isOnePasswordSource() {
    return password == null || passwordFile == null;
  }

  @ValidationMethod(message = "carries a password inside url: use password or passwordFile instead, so it stays out of logs")
  public boolean isUrlWithoutPassword() {
    return url == null || !url.toLowerCase(java.util.Locale.ROOT).matches(".*[?&]password=.*");
  }

  @ValidationMethod(message = "lockTimeout must be shorter than statementTimeout")
  public boolean isLockTimeoutShorter() {
    return lockTimeout == null || statementTimeout == null
        || lockTimeout.toMilliseconds() < statementTimeout.toMilliseconds();
  }
}
