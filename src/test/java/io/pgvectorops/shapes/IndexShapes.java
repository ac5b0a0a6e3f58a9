package io.pgvectorops.shapes;

import java.util.ArrayList;
import java.util.List;

/**
 * The index shapes pgvector supports and documents, each on a small table of its own (one vector
 * index per table, so the planner has no other vector index to choose): the column types vector,
 * halfvec, sparsevec and bit, HNSW and IVFFlat with every operator class, expression indexes
 * (casts, binary_quantize, subvector, l2_normalize), a partial index, and a partitioned table's
 * index with its partitions' indexes.
 */
final class IndexShapes {
  private IndexShapes() {}

  /** One shape: its index's name (also its table's, with _t), the column type, the USING clause. */
  record Shape(String name, String columnType, String using, String describe) {
    String qualified() {
      return "public." + name;
    }
  }

  static final int ROWS = 1500;

  /** A random centred value of a column type per row (g makes the subquery run per row). */
  private static String value(String type) {
    if (type.startsWith("sparsevec")) {
      // up to 8 non-zero elements of 100, at random places
      return "(SELECT '{' || string_agg(i || ':' || (random() - 0.5), ',' ORDER BY i) || '}/100'"
          + " FROM (SELECT DISTINCT 1 + (random() * 99)::int AS i FROM generate_series(1, 8)"
          + " WHERE g > 0) s)::sparsevec(100)";
    }
    // vector, vector(8), halfvec(8), bit(64): the dimensions in parentheses, 8 when untyped
    int dims = type.contains("(") ? Integer.parseInt(type.replaceAll("\\D", "")) : 8;
    String v =
        "(SELECT array_agg(random() - 0.5) FROM generate_series(1, "
            + dims
            + ") WHERE g > 0)::vector";
    return type.startsWith("bit") ? "binary_quantize(" + v + ")::" + type : v + "::" + type;
  }

  private static final String[][] DENSE = {
    {"l2", "l2"}, {"ip", "ip"}, {"cosine", "cosine"}, {"l1", "l1"}
  };

  static final List<Shape> SHAPES = shapes();

  private static List<Shape> shapes() {
    List<Shape> out = new ArrayList<>();
    for (String type : new String[] {"vector", "halfvec"}) {
      for (String[] op : DENSE) {
        out.add(
            new Shape(
                type + "_hnsw_" + op[0],
                type + "(8)",
                "hnsw (e " + type + "_" + op[1] + "_ops)",
                type + ", HNSW, " + op[0]));
        if (!op[0].equals("l1")) { // IVFFlat has no L1 operator class
          out.add(
              new Shape(
                  type + "_ivf_" + op[0],
                  type + "(8)",
                  "ivfflat (e " + type + "_" + op[1] + "_ops) WITH (lists = 10)",
                  type + ", IVFFlat, " + op[0]));
        }
      }
    }
    for (String[] op : DENSE) {
      out.add(
          new Shape(
              "sparsevec_hnsw_" + op[0],
              "sparsevec(100)",
              "hnsw (e sparsevec_" + op[1] + "_ops)",
              "sparsevec, HNSW, " + op[0]));
    }
    out.add(new Shape("bit_hnsw_hamming", "bit(64)", "hnsw (e bit_hamming_ops)", "bit, HNSW"));
    out.add(new Shape("bit_hnsw_jaccard", "bit(64)", "hnsw (e bit_jaccard_ops)", "bit, HNSW"));
    out.add(
        new Shape(
            "bit_ivf_hamming",
            "bit(64)",
            "ivfflat (e bit_hamming_ops) WITH (lists = 10)",
            "bit, IVFFlat"));
    out.add(
        new Shape(
            "expr_halfvec",
            "vector(8)",
            "hnsw ((e::halfvec(8)) halfvec_cosine_ops)",
            "expression: cast to halfvec"));
    out.add(
        new Shape(
            "expr_untyped",
            "vector",
            "hnsw ((e::vector(8)) vector_l2_ops)",
            "expression: an untyped vector column cast to its dimensions"));
    out.add(
        new Shape(
            "expr_binary_quantize",
            "vector(64)",
            "hnsw ((binary_quantize(e)::bit(64)) bit_hamming_ops)",
            "expression: binary_quantize"));
    out.add(
        new Shape(
            "expr_subvector",
            "vector(8)",
            "hnsw ((subvector(e, 1, 4)::vector(4)) vector_cosine_ops)",
            "expression: subvector"));
    out.add(
        new Shape(
            "expr_l2_normalize",
            "vector(8)",
            "hnsw ((l2_normalize(e)::vector(8)) vector_ip_ops)",
            "expression: l2_normalize"));
    out.add(
        new Shape(
            "partial", "vector(8)", "hnsw (e vector_l2_ops) WHERE tenant > 0", "partial index"));
    return out;
  }

  /** The partitioned table's index and its partitions' (named by PostgreSQL). */
  static final List<String> PARTITIONED =
      List.of("public.parted_hnsw", "public.parted_1_e_idx", "public.parted_2_e_idx");

  static List<String> schema() {
    List<String> sql = new ArrayList<>();
    for (Shape s : SHAPES) {
      String table = s.name() + "_t";
      sql.add(
          "CREATE TABLE "
              + table
              + " (id bigserial PRIMARY KEY, tenant int, e "
              + s.columnType()
              + ")");
      sql.add(
          "INSERT INTO "
              + table
              + " (tenant, e) SELECT g % 3, "
              + value(s.columnType())
              + " FROM generate_series(1, "
              + ROWS
              + ") g");
      sql.add("CREATE INDEX " + s.name() + " ON " + table + " USING " + s.using());
    }
    sql.add(
        "CREATE TABLE parted (tenant int NOT NULL, id bigint, e vector(8))"
            + " PARTITION BY LIST (tenant)");
    sql.add("CREATE TABLE parted_1 PARTITION OF parted FOR VALUES IN (1)");
    sql.add("CREATE TABLE parted_2 PARTITION OF parted FOR VALUES IN (2)");
    sql.add(
        "INSERT INTO parted (tenant, id, e) SELECT 1 + g % 2, g, "
            + value("vector(8)")
            + " FROM generate_series(1, "
            + (2 * ROWS)
            + ") g");
    sql.add("CREATE INDEX parted_hnsw ON parted USING hnsw (e vector_l2_ops)");
    sql.add("ANALYZE");
    return sql;
  }
}
