package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionParams.ProbeSetParams;

/**
 * One index measured one way: its probe set's label, the filter its queries carry (the partial
 * index's predicate included), and the job file's entry for it (null when every index is measured).
 */
record Planned(MeasuredIndex index, String label, String filter, ProbeSetParams entry) {
  String object() {
    return objectOf(index.qualifiedName(), label);
  }

  /** A finding's object: the index, with the probe set's label when it is filtered. */
  static String objectOf(String index, String label) {
    return label.equals(RegressionStore.ALL_ROWS) ? index : index + " [" + label + "]";
  }

  /**
   * Re-ranking as the application does it: candidates by the index, ordered by the full vectors.
   */
  record Rerank(String operatorName, String operator, int candidates) {}

  /** How this probe set is re-ranked, or null when its index holds the full vectors. */
  Rerank rerank(int k) {
    if (!index.reranked()) {
      return null;
    }
    String name =
        entry != null && entry.rerankOperator != null
            ? entry.rerankOperator
            : index.columnType().startsWith("bit") ? "<=>" : index.operatorName();
    // the index operator's schema is pgvector's: OPERATOR(public.<~>) -> OPERATOR(public.<=>)
    String qualified = index.operator().replace(index.operatorName() + ")", name + ")");
    int candidates =
        entry != null && entry.rerankCandidates != null ? entry.rerankCandidates : 4 * k;
    return new Rerank(name, qualified, Math.max(candidates, k));
  }

  /**
   * Where the probe set's query vectors are sampled: the column an expression index is computed
   * from (its probes go through the expression, {@link MeasuredIndex#probeThrough}), else the
   * indexed column itself.
   */
  AnnQuery.Template sampleTemplate() {
    return index.probeThrough() == null
        ? template()
        : new AnnQuery.Template(
            index.table(),
            index.baseColumn(),
            index.operator(),
            index.baseType(),
            filter == null ? "true" : filter,
            index.baseSendFunction());
  }

  AnnQuery.Template template() {
    return new AnnQuery.Template(
        index.table(),
        index.column(),
        index.operator(),
        index.columnType(),
        filter == null ? "true" : filter,
        index.sendFunction());
  }
}
