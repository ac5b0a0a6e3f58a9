package io.pgvectorops.jobs.regression;

import io.pgvectorops.catalog.ObjectNames;
import java.sql.ResultSet;
import java.sql.SQLException;

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
    String sendFunction) {

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
        rs.getString("send_function"));
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
