package io.pgvectorops.catalog;

import java.time.Instant;
import java.util.Map;

/** An hnsw, ivfflat or diskann index as read from the target's catalogs. */
public record VectorIndex(
    String schema,
    String name,
    String table,
    String column,
    String columnType,
    Integer dimensions,
    String method,
    String opclass,
    Map<String, String> options,
    long sizeBytes,
    long tableBytes,
    Long rows,
    boolean valid,
    String definition,
    Instant observedAt,
    Bloat bloat,
    Double residency,
    Instant residencyMeasuredAt) {

  /** The bloat job's latest estimate; null until it has run. */
  public record Bloat(double ratio, Long wastedBytes, String method, Instant measuredAt) {}

  public String qualifiedName() {
    return ObjectNames.qualified(schema, name);
  }
}
