package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * The search settings a job file may choose for the measured queries: the job's own (its {@code
 * params}) and each index entry's overrides, the same three keys in both places. Unset: the
 * application's (targets[].applicationRole, or the probe set's), else the database's, read fresh
 * every run.
 */
public class SearchSettings {
  /** hnsw.ef_search for the measured queries. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  public Integer efSearch;

  /** ivfflat.probes for the measured queries; unset: as efSearch. */
  @Min(1)
  @Max(32768)
  @JsonProperty
  public Integer ivfflatProbes;

  /** hnsw.iterative_scan / ivfflat.iterative_scan (off, relaxed_order, strict_order). */
  @Pattern(regexp = "off|relaxed_order|strict_order")
  @JsonProperty
  public String iterativeScan;

  /** ef_search for an HNSW index, probes for an IVFFlat one: this entry's, else {@code job}'s. */
  static Integer searchValue(SearchSettings entry, SearchSettings job, boolean hnsw) {
    Integer own = entry == null ? null : hnsw ? entry.efSearch : entry.ivfflatProbes;
    return own != null ? own : hnsw ? job.efSearch : job.ivfflatProbes;
  }

  /** The iterative scan mode: this entry's, else {@code job}'s. */
  static String iterativeScan(SearchSettings entry, SearchSettings job) {
    return entry != null && entry.iterativeScan != null ? entry.iterativeScan : job.iterativeScan;
  }
}
