package io.pgvectorops.jobs.capacity;

import io.pgvectorops.jobs.capacity.CapacityJob.IndexCapacity;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.jobs.capacity.CapacityJob.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Settings for vector work, each from a measurement of this server: never a fraction of RAM. The
 * host's memory is not visible over SQL, so these assume it has room for what they recommend.
 */
final class Advice {
  private Advice() {}

  /** maintenance_work_mem for the largest HNSW graph to build in memory. */
  private static Recommendation buildMemory(IndexCapacity i, Settings s, CapacityParams p) {
    return new Recommendation(
        CapacityJob.MAINTENANCE_WORK_MEM,
        mb(s.maintenanceWorkMem()),
        mb((long) Math.ceil(i.buildMemoryBytes() * p.margin)),
        "the largest HNSW graph, "
            + i.index()
            + ", needs about "
            + mib(i.buildMemoryBytes())
            + " to build in memory; below that pgvector's build spills ('hnsw"
            + " graph no longer fits into maintenance_work_mem') and is several"
            + " times slower. index-rebuild sets it per build; this is for"
            + " builds it does not run (CREATE INDEX, REINDEX by hand)",
        "layout model: rows x (vector size + 48 x m) x 1.2 + 32 MiB, x margin "
            + p.margin
            + "; assumes the host has that memory free");
  }

  static List<Recommendation> of(List<IndexCapacity> indexes, Settings s, CapacityParams p) {
    List<Recommendation> out = new ArrayList<>();
    indexes.stream()
        .filter(i -> i.method().equals("hnsw"))
        .max(Comparator.comparingLong(IndexCapacity::buildMemoryBytes))
        .filter(i -> i.buildMemoryBytes() * p.margin > s.maintenanceWorkMem())
        .ifPresent(i -> out.add(buildMemory(i, s, p)));
    long hot =
        indexes.stream().filter(IndexCapacity::hot).mapToLong(IndexCapacity::sizeBytes).sum();
    if (hot > s.effectiveCacheSize()) {
      out.add(
          new Recommendation(
              CapacityJob.EFFECTIVE_CACHE_SIZE,
              mb(s.effectiveCacheSize()),
              mb((long) Math.ceil(hot * 1.1)),
              "the hot vector indexes ("
                  + mib(hot)
                  + ") exceed what the planner assumes is cached, so it may cost index scans as"
                  + " disk reads; raise it only if the host's page cache really holds them",
              "sum of the hot vector indexes' sizes + 10%"));
    }
    if (hot > s.sharedBuffers()) {
      out.add(
          new Recommendation(
              CapacityJob.SHARED_BUFFERS,
              mb(s.sharedBuffers()),
              mb((long) Math.ceil(hot * 1.1)),
              "the hot vector indexes take "
                  + mib(hot)
                  + ": searches read them from outside shared buffers",
              "sum of the sizes of vector indexes with at least "
                  + p.hotResidency
                  + " of their pages resident (or not measured by prewarm), + 10%; assumes the"
                  + " host has that memory free"));
    }
    return out;
  }

  /**
   * With the host's memory known (targets[].memory): a memory setting recommended above it says it
   * cannot be met as is, and none says it assumes the memory.
   */
  static List<Recommendation> bounded(List<Recommendation> advice, long memory) {
    List<String> memorySettings =
        List.of(
            CapacityJob.MAINTENANCE_WORK_MEM,
            CapacityJob.SHARED_BUFFERS,
            CapacityJob.EFFECTIVE_CACHE_SIZE);
    List<Recommendation> out = new ArrayList<>();
    for (Recommendation r : advice) {
      if (!memorySettings.contains(r.setting())) {
        out.add(r);
        continue;
      }
      long bytes = Long.parseLong(r.recommended().replace("MB", "")) * 1048576;
      String measurement =
          r.measurement().replace("assumes the host has that memory free", "")
              + "the host has "
              + mib(memory)
              + " (targets[].memory)";
      String reason =
          bytes > memory
              ? r.reason()
                  + "; that is more than the host's memory ("
                  + mib(memory)
                  + "): not possible as is, make the indexes smaller (halfvec, fewer hot"
                  + " indexes) or give the host more memory"
              : r.reason();
      out.add(new Recommendation(r.setting(), r.current(), r.recommended(), reason, measurement));
    }
    return out;
  }

  /** A setting's value as PostgreSQL writes it ("64MB" is 64 MiB there). */
  static String mb(long bytes) {
    return ((bytes + 1048575) / 1048576) + "MB";
  }

  /** A size in text: IEC units, as everywhere else in messages and the dashboard. */
  static String mib(long bytes) {
    return ((bytes + 1048575) / 1048576) + " MiB";
  }
}
