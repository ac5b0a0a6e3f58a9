package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Where the daemon keeps its own data. Unset fields default to the first target's. */
public class StateConfig {
  @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql:// URL")
  @JsonProperty
  public String url;

  @JsonProperty public String user;
  @JsonProperty public String password;
  @JsonProperty public String passwordFile;

  // The schema name is spliced into Quartz's table prefix and Flyway's settings, so it is
  // restricted to a plain lower-case identifier rather than quoted.
  @NotBlank
  @Pattern(
      regexp = "[a-z_][a-z0-9_]{0,62}",
      message = "must be a lower-case identifier ([a-z_][a-z0-9_]*)")
  @JsonProperty
  public String schema = "pgvector_ops";

  /** TLS to the state database; unset with no url here: the first target's. */
  @Valid @JsonProperty public TlsConfig tls;

  /** Days of vector index history (size, rows, residency per day) kept for capacity forecasts. */
  @Min(7)
  @Max(3660)
  @JsonProperty
  public int historyDays = 90;

  /**
   * Days of runs and resolved findings kept (pruned hourly, in batches); index rebuilds and the
   * runs of open findings are kept longer.
   */
  @Min(1)
  @Max(3660)
  @JsonProperty
  public int runDays = 90;
}
