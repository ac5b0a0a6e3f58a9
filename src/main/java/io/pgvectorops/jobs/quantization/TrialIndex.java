package io.pgvectorops.jobs.quantization;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.sql.Identifiers;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The index whose alternatives are tried: its facts (sizes, options, the size model's inputs) and
 * how its column is queried (from probes/vector_indexes).
 *
 * @param column the quoted column, or the indexed expression in parentheses
 * @param castType the stored type with its dimensions, e.g. vector(384)
 * @param operatorName the distance operator as an application writes it, e.g. {@code <=>}
 * @param expression the index is on an expression (a cast, binary_quantize...), not a column
 */
record TrialIndex(
    IndexFacts facts,
    String column,
    String castType,
    String opclass,
    String operatorName,
    boolean expression) {

  static TrialIndex of(ResultSet rs) throws SQLException {
    return new TrialIndex(
        IndexFacts.from(rs),
        rs.getString("column_expr"),
        rs.getString("cast_type"),
        rs.getString("opclass"),
        rs.getString("operator_name"),
        rs.getString("base_column") != null || rs.getString("column_expr").startsWith("("));
  }

  String object() {
    return facts.object();
  }

  /** Why the trial cannot try this index's alternatives, or null when it can. */
  String notTriable() {
    if (!facts.method().equals("hnsw")) {
      return facts.object() + " is an " + facts.method() + " index: the trial tries HNSW shapes";
    }
    if (expression) {
      return facts.object()
          + " indexes an expression ("
          + column
          + "): the trial starts from an index on a plain vector or halfvec column";
    }
    if (!facts.type().equals("vector") && !facts.type().equals("halfvec") || facts.dims() == null) {
      return facts.object()
          + " indexes "
          + castType
          + ": the trial quantizes vector or halfvec columns with their dimensions declared";
    }
    if (facts.partitioned()) {
      return facts.object() + " is a partitioned index: try one of its partitions' indexes";
    }
    return null;
  }

  /** Build options as a WITH list: this m, the index's ef_construction (pgvector's default 64). */
  String withOptions(int m) {
    return "m = " + m + ", ef_construction = " + facts.option("ef_construction", 64);
  }

  String quotedTable() {
    return Identifiers.quote(facts.schema()) + "." + Identifiers.quote(facts.table());
  }

  double tableRows() {
    return facts.elements() == null ? 0 : facts.elements();
  }
}
