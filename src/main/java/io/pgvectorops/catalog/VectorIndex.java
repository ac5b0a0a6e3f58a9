package io.pgvectorops.catalog;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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
    Instant residencyMeasuredAt,
    String partitionOf,
    List<String> partitions) {

  /** The bloat job's latest estimate; null until it has run. */
  public record Bloat(double ratio, Long wastedBytes, String method, Instant measuredAt) {}

  public String qualifiedName() {
    return ObjectNames.qualified(schema, name);
  }

  /**
   * The inventory with partitions grouped: each partition's index names the partitioned index it
   * belongs to ({@code partitionOf}, the topmost one), and a partitioned index, which has no
   * storage of its own, takes the sum of its partitions' sizes.
   */
  public static List<VectorIndex> grouped(List<VectorIndex> indexes) {
    Map<String, String> parentOf = new HashMap<>();
    Map<String, Long> sizeOf = new HashMap<>();
    indexes.stream()
        .filter(i -> i.partitions() != null)
        .sorted(Comparator.comparingInt(i -> i.partitions().size()))
        .forEach(
            parent -> parent.partitions().forEach(l -> parentOf.put(l, parent.qualifiedName())));
    indexes.forEach(i -> sizeOf.put(i.qualifiedName(), i.sizeBytes()));
    return indexes.stream()
        .map(
            i ->
                new VectorIndex(
                    i.schema,
                    i.name,
                    i.table,
                    i.column,
                    i.columnType,
                    i.dimensions,
                    i.method,
                    i.opclass,
                    i.options,
                    i.partitions == null
                        ? i.sizeBytes
                        : i.partitions.stream().mapToLong(l -> sizeOf.getOrDefault(l, 0L)).sum(),
                    i.tableBytes,
                    i.rows,
                    i.valid,
                    i.definition,
                    i.observedAt,
                    i.bloat,
                    i.residency,
                    i.residencyMeasuredAt,
                    parentOf.get(i.qualifiedName()),
                    i.partitions))
        .toList();
  }
}
