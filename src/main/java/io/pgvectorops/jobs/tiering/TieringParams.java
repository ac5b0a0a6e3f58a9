package io.pgvectorops.jobs.tiering;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class TieringParams {
  @Valid @NotEmpty @JsonProperty public List<TieredTable> tables = new ArrayList<>();

  /** Rows per batch: each batch is one short transaction locking only its rows. */
  @Min(1)
  @Max(100_000)
  @JsonProperty
  public int batchSize = 1000;

  /** Pause between batches, leaving room for the application. */
  @NotNull @JsonProperty public Duration pause = Duration.milliseconds(20);

  /** A run stops after this long; the next run continues. */
  @NotNull @JsonProperty public Duration maxRuntime = Duration.minutes(10);

  /**
   * Create a missing or invalid partial vector index per tier (CONCURRENTLY) instead of only
   * reporting it.
   */
  @JsonProperty public boolean createMissingIndexes = false;

  public static class TieredTable {
    /** schema.table (or table, in public). */
    @NotBlank @JsonProperty public String table;

    /** Primary key column: batches are keyed by it. */
    @NotBlank @JsonProperty public String key = "id";

    @NotBlank @JsonProperty public String tierColumn = "tier";

    @NotBlank @JsonProperty public String lastAccessColumn;

    @JsonProperty public String accessCountColumn;

    @NotBlank @JsonProperty public String vectorColumn;

    /** Tier names and the small integers stored for them, e.g. {hot: 0, warm: 1, cold: 2}. */
    @NotEmpty @JsonProperty public Map<String, Integer> tiers = new LinkedHashMap<>();

    /** Checked in order for each row; the first that matches decides its tier; none: it stays. */
    @Valid @NotEmpty @JsonProperty public List<Rule> rules = new ArrayList<>();

    @Valid @JsonProperty public ReducedCopy reducedCopy;

    @ValidationMethod(
        message =
            "rules must move to a tier named in tiers, and use accessCountColumn only when set")
    public boolean isRulesConsistent() {
      return rules.stream()
              .allMatch(
                  r ->
                      tiers.containsKey(r.to)
                          && (r.minAccessCount == null || accessCountColumn != null))
          && (reducedCopy == null || tiers.containsKey(reducedCopy.tier));
    }
  }

  public static class Rule {
    @NotBlank @JsonProperty public String to;

    /** Matches rows accessed within this long ... */
    @JsonProperty public Duration accessedWithin;

    /** ... or rows not accessed for this long (never accessed counts as not accessed) ... */
    @JsonProperty public Duration notAccessedFor;

    /** ... with at least this many accesses. */
    @JsonProperty public Long minAccessCount;

    @ValidationMethod(message = "a rule needs accessedWithin, notAccessedFor or minAccessCount")
    public boolean isConditional() {
      return accessedWithin != null || notAccessedFor != null || minAccessCount != null;
    }
  }

  /** A smaller copy of the vector for one tier's rows, so that tier can have a small index. */
  public static class ReducedCopy {
    @NotBlank @JsonProperty public String tier;
    @NotBlank @JsonProperty public String column;

    @NotNull
    @Pattern(regexp = "halfvec|binary", message = "must be halfvec or binary")
    @JsonProperty
    public String as = "halfvec";
  }
}
