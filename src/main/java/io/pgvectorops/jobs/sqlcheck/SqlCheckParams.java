package io.pgvectorops.jobs.sqlcheck;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** An operator's check: a read-only query whose rows become findings. */
public class SqlCheckParams {
  /** The query: one read-only statement. Each returned row is a candidate finding. */
  @NotBlank @JsonProperty public String query;

  /** Column whose value names the finding's object (e.g. a qualified table name). */
  @NotBlank @JsonProperty public String key;

  /**
   * Numeric column compared with warning/critical; without it every row is a finding of `severity`.
   */
  @JsonProperty public String value;

  @JsonProperty public Double warning;
  @JsonProperty public Double critical;

  @Pattern(regexp = "info|warning|critical", message = "must be info, warning or critical")
  @JsonProperty
  public String severity = "warning";

  /** Kind of the findings (default: the job's name). */
  @Pattern(
      regexp = "[a-z0-9][a-z0-9-]{0,62}",
      message = "must be lower-case letters, digits and '-'")
  @JsonProperty
  public String findingKind;

  /** Message with {column} placeholders; default names the kind, the object and the value. */
  @JsonProperty public String message;

  /** Statement timeout for the query, if lower than the target's. */
  @JsonProperty public Duration statementTimeout;

  /** At most this many rows are read; more is reported and the run does not resolve findings. */
  @Min(1)
  @Max(100_000)
  @JsonProperty
  public int maxRows = 1000;

  @ValidationMethod(
      message = "needs value when warning or critical is set, and warning below critical")
  public boolean isThresholdsConsistent() {
    if ((warning != null || critical != null) && value == null) {
      return false;
    }
    return warning == null || critical == null || warning <= critical;
  }
}
