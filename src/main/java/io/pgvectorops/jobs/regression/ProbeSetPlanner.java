package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.regression.RegressionParams.ProbeSetParams;
import io.pgvectorops.jobs.regression.RegressionStore.ProbeSet;
import io.pgvectorops.jobs.regression.RegressionSummary.PlannedSet;
import io.pgvectorops.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which probe sets a run measures, and how each one's query vectors are specified. */
final class ProbeSetPlanner {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How a probe set's vectors are chosen: a probe set whose stored spec differs is sampled again
   * (and its series starts over). {@code through}: the probes are the column's values and reach the
   * index through this expression (an expression index), else they are the indexed values.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Spec(
      String source,
      int probes,
      int k,
      Double perturbation,
      String probeSql,
      @JsonInclude(JsonInclude.Include.ALWAYS) String filter,
      String through) {}

  private final RegressionParams p;
  private final RegressionStore store;

  ProbeSetPlanner(RegressionParams p, RegressionStore store) {
    this.p = p;
    this.store = store;
  }

  /** The probe sets of this run: the job file's list, or every hnsw/ivfflat index unfiltered. */
  List<Planned> plan(String target, List<MeasuredIndex> indexes, List<Finding> findings) {
    if (p.indexes.isEmpty()) {
      return indexes.stream()
          .map(idx -> new Planned(idx, RegressionStore.ALL_ROWS, idx.predicate(), null))
          .toList();
    }
    List<Planned> out = new ArrayList<>();
    for (ProbeSetParams e : p.indexes) {
      String wanted = e.qualifiedIndex();
      Optional<MeasuredIndex> idx =
          indexes.stream().filter(i -> i.qualifiedName().equals(wanted)).findFirst();
      String label =
          e.label != null ? e.label : e.filter != null ? e.filter : RegressionStore.ALL_ROWS;
      if (e.filter != null && !SqlText.isSingleCondition(e.filter)) {
        findings.add(
            Finding.warning(
                wanted,
                RegressionJob.REGRESSION_CONFIG,
                "params.indexes["
                    + wanted
                    + "].filter must be one"
                    + " SQL condition (no ';', every parenthesis closed inside it): not measured",
                Map.of("filter", e.filter)));
      } else if (idx.isEmpty()) {
        if (store.liveProbeSet(target, wanted, label).isEmpty()) {
          findings.add(
              Finding.warning(
                  wanted,
                  SharedFindings.INDEX_NOT_FOUND,
                  "the regression job is configured to measure "
                      + wanted
                      + " but there is no hnsw or ivfflat index of that name",
                  Map.of("index", wanted)));
        }
      } else {
        out.add(new Planned(idx.get(), label, withPredicate(idx.get(), e.filter), e));
      }
    }
    return out;
  }

  /** A partial index serves only queries that imply its predicate. */
  private static String withPredicate(MeasuredIndex idx, String filter) {
    if (idx.predicate() == null) {
      return filter;
    }
    return filter == null ? idx.predicate() : "(" + idx.predicate() + ") AND (" + filter + ")";
  }

  JsonNode specOf(Planned pl) {
    return JSON.valueToTree(
        new Spec(
            p.source.name(),
            p.probes,
            p.k,
            p.source == RegressionParams.Source.perturbed ? p.perturbation : null,
            p.source == RegressionParams.Source.sql ? p.probeSql : null,
            pl.filter(),
            pl.index().probeThrough()));
  }

  /** The probe set as it is kept, if its spec and the index's query are unchanged. */
  Optional<ProbeSet> unchanged(String target, Planned pl) {
    MeasuredIndex idx = pl.index();
    return store
        .liveProbeSet(target, idx.qualifiedName(), pl.label())
        .filter(
            live ->
                live.spec().equals(specOf(pl))
                    && live.table().equals(idx.table())
                    && live.column().equals(idx.column())
                    && live.columnType().equals(idx.columnType())
                    && live.operator().equals(idx.operator()));
  }

  PlannedSet dryRun(String target, Planned pl) {
    Optional<ProbeSet> live = store.liveProbeSet(target, pl.index().qualifiedName(), pl.label());
    boolean same = live.isPresent() && live.get().spec().equals(specOf(pl));
    return new PlannedSet(
        pl.index().qualifiedName(),
        pl.label(),
        pl.filter(),
        same ? "kept (" + live.get().createdAt() + ")" : "would sample " + p.probes,
        same && store.groundTruth(live.get().id()).isPresent()
            ? "cached unless the table changed"
            : "would compute");
  }
}
