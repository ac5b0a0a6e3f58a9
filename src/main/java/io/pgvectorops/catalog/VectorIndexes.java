package io.pgvectorops.catalog;

import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The one query that describes vector indexes (probes/vector_indexes); each job reads it through
 * its own view of a row: {@link VectorIndex} (inventory and health), {@link IndexFacts} (the size
 * model: bloat and rebuild), the regression job's measured index.
 */
public final class VectorIndexes {
  /** pgvector's index methods: what bloat, rebuild and regression measure. */
  public static final List<String> PGVECTOR = List.of("hnsw", "ivfflat");

  /** Every vector index method the inventory lists (pgvectorscale's diskann too). */
  public static final List<String> ALL = List.of("hnsw", "ivfflat", "diskann");

  private VectorIndexes() {}

  public static <T> List<T> read(
      Jdbc jdbc, Connection c, List<String> methods, Jdbc.RowMapper<T> view) {
    return jdbc.query(
        c, SqlFile.load("probes/vector_indexes"), view, (Object) methods.toArray(String[]::new));
  }

  /** A row's leaf_indexes: a partitioned index's leaf partitions' indexes; empty for the others. */
  public static List<String> leafIndexes(ResultSet rs) throws SQLException {
    Array a = rs.getArray("leaf_indexes");
    return a == null ? List.of() : List.of((String[]) a.getArray());
  }
}
