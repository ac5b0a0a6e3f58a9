package io.pgvectorops.jobs.bloat;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Each index's size against what it would be when freshly built: vector indexes (and partitioned
 * ones, as the sum of their partitions) by pgvector's layout model, B-trees by pgstatindex or the
 * statistical estimate.
 */
final class IndexEstimates {
  private IndexEstimates() {}

  record Estimate(
      String schema,
      String name,
      String what,
      long actualBytes,
      long expectedBytes,
      String method,
      Metrics extra,
      boolean sumOfPartitions) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }

    double ratio() {
      return actualBytes <= 0 ? 0 : Math.max(0, 1 - (double) expectedBytes / actualBytes);
    }
  }

  static Estimate vectorIndex(IndexFacts i, List<IndexFacts> all) {
    if (i.partitioned()) {
      return partitioned(i, all);
    }
    Metrics extra =
        Metrics.of().put("liveRows", i.elements() == null ? null : Math.round(i.elements()));
    i.options().forEach(extra::put);
    return new Estimate(
        i.schema(),
        i.name(),
        i.method() + " index on " + i.table(),
        i.actualBytes(),
        i.valid() ? i.expectedBytes() : -1,
        BloatJob.MODEL,
        extra,
        false);
  }

  /**
   * Never a silent skip: a valid index the model cannot size says why (an invalid one has its own
   * finding; a partitioned one is its partitions).
   */
  static boolean unmodelled(IndexFacts f) {
    return f.valid() && !f.partitioned() && f.expectedBytes() < 0;
  }

  static Finding notModelled(IndexFacts i) {
    String shape =
        i.method() + " index of " + i.type() + (i.dims() == null ? "" : "(" + i.dims() + ")");
    String why =
        i.elements() == null
            ? "its table has no row count yet (never analyzed): ANALYZE " + i.table()
            : "the size of its values is unknown (no dimensions, and no statistics of the column:"
                + " ANALYZE "
                + i.table()
                + ")";
    return Finding.info(
        i.object(),
        BloatJob.INDEX_NOT_MODELLED,
        "bloat of " + i.object() + " (" + shape + ") is not estimated: " + why,
        Map.of("shape", shape));
  }

  /** A partitioned index has no storage: the sum of its partitions' (unknown if any is). */
  static Estimate partitioned(IndexFacts parent, List<IndexFacts> all) {
    List<Estimate> parts =
        all.stream()
            .filter(f -> Long.valueOf(parent.oid()).equals(f.parentOid()))
            .map(f -> vectorIndex(f, all))
            .toList();
    boolean known = !parts.isEmpty() && parts.stream().allMatch(e -> e.expectedBytes() >= 0);
    return new Estimate(
        parent.schema(),
        parent.name(),
        "partitioned " + parent.method() + " index on " + parent.table(),
        parts.stream().mapToLong(Estimate::actualBytes).sum(),
        known ? parts.stream().mapToLong(Estimate::expectedBytes).sum() : -1,
        BloatJob.MODEL,
        Metrics.of().put("partitions", parts.size()),
        true);
  }

  static Estimate pgstatindex(ResultSet rs) throws SQLException {
    double density = rs.getDouble("avg_leaf_density") / 100.0;
    double full = rs.getInt("fillfactor") / 100.0;
    long actual = rs.getLong("actual_bytes");
    // a fresh B-tree has its leaves filled to fillfactor: the missing density is the waste
    long expected = (long) (actual * Math.min(1.0, density / full));
    return new Estimate(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        "btree index on " + rs.getString("table_name"),
        actual,
        expected,
        "pgstatindex",
        Metrics.of().put("avgLeafDensity", BloatJob.round(density)),
        false);
  }

  static Estimate btreeEstimate(ResultSet rs) throws SQLException {
    return new Estimate(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        "btree index on " + rs.getString("table_name"),
        rs.getLong("actual_bytes"),
        rs.getLong("expected_bytes"),
        "statistical estimate",
        Metrics.of(),
        false);
  }
}
