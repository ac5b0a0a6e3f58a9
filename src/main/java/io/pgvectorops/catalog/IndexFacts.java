package io.pgvectorops.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One vector index from probes/vector_indexes (see VectorIndexes), with what the size model needs:
 * shared by the bloat job and the rebuild planner, so both count an index's elements the same way.
 */
public record IndexFacts(
    long oid,
    long tableOid,
    String schema,
    String name,
    String table,
    String method,
    String type,
    Integer dims,
    Map<String, String> options,
    long actualBytes,
    Double elements,
    boolean valid,
    boolean buildInProgress,
    String definition,
    Double avgWidth,
    boolean partitioned,
    Long parentOid,
    List<String> leafIndexes) {

  public String object() {
    return ObjectNames.qualified(schema, name);
  }

  /** -1 when the model does not apply (a partitioned index has no storage: see its partitions). */
  public long expectedBytes() {
    if (elements == null || partitioned) {
      return -1;
    }
    long pages =
        VectorIndexSizeModel.expectedPages(method, type, dims, avgWidth, options, elements);
    return pages < 0 ? -1 : pages * VectorIndexSizeModel.PAGE;
  }

  public double bloat() {
    long expected = expectedBytes();
    return expected < 0 || actualBytes <= 0 ? 0 : Math.max(0, 1 - (double) expected / actualBytes);
  }

  public int option(String key, int defaultValue) {
    try {
      return options.containsKey(key) ? Integer.parseInt(options.get(key)) : defaultValue;
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }

  public static IndexFacts from(ResultSet rs) throws SQLException {
    double nullFrac = rs.getObject("null_frac") == null ? 0 : rs.getDouble("null_frac");
    Double tableRows = rs.getObject("table_rows") == null ? null : rs.getDouble("table_rows");
    Double indexRows = rs.getObject("index_rows") == null ? null : rs.getDouble("index_rows");
    // a partial index holds only its predicate's rows: its own count; otherwise the table's live
    // non-NULL rows
    Double elements =
        rs.getBoolean("partial")
            ? indexRows
            : tableRows == null ? null : tableRows * (1 - nullFrac);
    return new IndexFacts(
        rs.getLong("index_oid"),
        rs.getLong("table_oid"),
        rs.getString("schema_name"),
        rs.getString("index_name"),
        rs.getString("table_name"),
        rs.getString("method"),
        rs.getString("type_name"),
        (Integer) rs.getObject("dimensions"),
        ObjectNames.options(rs.getString("options")),
        rs.getLong("size_bytes"),
        elements,
        rs.getBoolean("valid"),
        rs.getBoolean("table_build_in_progress"),
        rs.getString("definition"),
        rs.getObject("avg_width") == null ? null : rs.getDouble("avg_width"),
        rs.getBoolean("partitioned"),
        rs.getObject("parent_oid") == null ? null : rs.getLong("parent_oid"),
        VectorIndexes.leafIndexes(rs));
  }

  /**
   * The memory an in-memory build of this index needs (maintenance_work_mem), bytes: for HNSW, per
   * element about the value plus its neighbour arrays (≈ VARSIZE + 48·m bytes; 770 B + value at m =
   * 16, PGVECTOR-NOTES §1) with a fifth more for the allocator, plus 32 MB; for IVFFlat, its
   * k-means sample (50 rows per list, at least 10,000) twice, plus 32 MB. An estimate: pgvector
   * counts its own allocations as it builds.
   */
  /** The fixed part of {@link #buildMemoryBytes}: it does not grow with the index. */
  public static final double BUILD_OVERHEAD_BYTES = 32 * 1048576.0;

  public double buildMemoryBytes() {
    double value = Math.max(8, VectorIndexSizeModel.varsizeOf(type, dims, avgWidth));
    double n = elements == null ? actualBytes / 1000.0 : elements;
    return method.equals("hnsw")
        ? n * (value + 48.0 * option("m", 16)) * 1.2 + BUILD_OVERHEAD_BYTES
        : Math.max(50.0 * option("lists", 100), 10_000) * value * 2 + BUILD_OVERHEAD_BYTES;
  }

  /** pgvector's README guidance for IVFFlat lists: rows / 1000 up to 1M rows, sqrt(rows) above. */
  public static long idealLists(double rows) {
    double lists = rows <= 1_000_000 ? rows / 1000 : Math.sqrt(rows);
    return Math.max(1, Math.min(32768, Math.round(lists)));
  }

  /** The same index with one option changed (m, lists, ...): for estimates of another shape. */
  public IndexFacts withOption(String key, String value) {
    Map<String, String> changed = new LinkedHashMap<>(options);
    changed.put(key, value);
    return new IndexFacts(
        oid,
        tableOid,
        schema,
        name,
        table,
        method,
        type,
        dims,
        changed,
        actualBytes,
        elements,
        valid,
        buildInProgress,
        definition,
        avgWidth,
        partitioned,
        parentOid,
        leafIndexes);
  }
}
