package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionParams.ProbeSetParams;
import io.pgvectorops.state.RegressionStore;

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
