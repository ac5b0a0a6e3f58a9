package io.pgvectorops.jobs.regression;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.VectorIndexes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A vector index as the regression job needs it: how to query its table the way it serves. */
record MeasuredIndex(
    String schema,
    String name,
    long tableOid,
    String table,
    String column,
    String columnType,
    String method,
    String opclass,
    String operator,
    String operatorName,
    int lists,
    String predicate,
    boolean valid,
    String definition,
    String sendFunction,
    String baseColumn,
    String baseType,
    String baseSendFunction,
    List<String> leafIndexes) {

  static MeasuredIndex of(ResultSet rs) throws SQLException {
    return new MeasuredIndex(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        rs.getLong("table_oid"),
        rs.getString("table_ref"),
        rs.getString("column_expr"),
        rs.getString("cast_type"),
        rs.getString("method"),
        rs.getString("opclass"),
        rs.getString("operator"),
        rs.getString("operator_name"),
        rs.getInt("lists"),
        rs.getString("predicate"),
        rs.getBoolean("valid"),
        rs.getString("definition"),
        rs.getString("send_function"),
        rs.getString("base_column"),
        rs.getString("base_type"),
        rs.getString("base_send_function"),
        VectorIndexes.leafIndexes(rs));
  }

  /**
   * For an expression index over one vector column, the expression with that column replaced by the
   * query vector (a parameter of the column's type): how the application's query vector reaches the
   * index. Null for an index on a plain column, or when the column cannot be told.
   */
  String probeThrough() {
    return baseColumn == null
        ? null
        : ProbeExpression.substitute(column, baseColumn, "(?::" + baseType + ")");
  }

  /**
   * The index holds a reduced form of its column (binary quantization, a subvector): applications
   * re-rank its candidates by the full vectors, so that recall is measured too.
   */
  boolean reranked() {
    return probeThrough() != null
        && (columnType.startsWith("bit") || column.contains("subvector("));
  }

  /**
   * The indexes whose scans serve this index's queries: itself, or for a partitioned index (which
   * has no storage) the indexes of its partitions, by name as EXPLAIN shows them.
   */
  Set<String> servedBy() {
    Set<String> out = new HashSet<>();
    out.add(name);
    leafIndexes.forEach(q -> out.add(q.substring(q.indexOf('.') + 1)));
    return out;
  }

  String qualifiedName() {
    return ObjectNames.qualified(schema, name);
  }

  boolean hnsw() {
    return method.equals("hnsw");
  }

  /** The setting that trades recall for speed: hnsw.ef_search or ivfflat.probes. */
  String searchSetting() {
    return hnsw() ? "hnsw.ef_search" : "ivfflat.probes";
  }

  String iterativeScanSetting() {
    return hnsw() ? "hnsw.iterative_scan" : "ivfflat.iterative_scan";
  }
}
