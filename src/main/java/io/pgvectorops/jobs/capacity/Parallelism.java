package io.pgvectorops.jobs.capacity;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.jobs.capacity.CapacityJob.IndexCapacity;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parallel workers for HNSW builds (pgvector 0.6+ builds in parallel), weighed against the
 * installed pgvector's known defects: where its parallel build is defective, the advice is to keep
 * it off until the upgrade, whatever the server would allow.
 */
final class Parallelism {
  /** Workers an HNSW build makes use of before the gain flattens (pgvector's benchmarks: 2–4). */
  static final int USEFUL_WORKERS = 4;

  private Parallelism() {}

  static Optional<Recommendation> of(
      Jdbc jdbc, Connection c, List<IndexCapacity> indexes, Advisories advisories) {
    if (indexes.stream().noneMatch(i -> i.method().equals("hnsw"))) {
      return Optional.empty();
    }
    return jdbc
        .query(
            c,
            SqlFile.load("probes/capacity_parallel"),
            rs -> {
              int maintenance = rs.getInt("max_parallel_maintenance_workers");
              int workers = rs.getInt("max_parallel_workers");
              int processes = rs.getInt("max_worker_processes");
              var versions =
                  new PgvectorVersions(rs.getString("pgvector"), rs.getString("pgvector_library"));
              String pgvector = versions.describe();
              var defects = advisories.affecting(versions, Advisories.Affects.PARALLEL_HNSW_BUILD);
              String measured =
                  "max_parallel_maintenance_workers "
                      + maintenance
                      + ", max_parallel_workers "
                      + workers
                      + ", max_worker_processes "
                      + processes
                      + ", pgvector "
                      + pgvector;
              if (!defects.isEmpty()) {
                return maintenance == 0
                    ? null
                    : new Recommendation(
                        "max_parallel_maintenance_workers",
                        String.valueOf(maintenance),
                        "0 for HNSW builds (SET per session) until pgvector is upgraded",
                        "the installed pgvector's parallel HNSW build is defective ("
                            + defects.get(0).id()
                            + ": "
                            + defects.get(0).summary()
                            + "); index-rebuild already builds these without workers",
                        measured);
              }
              int useful = Math.min(USEFUL_WORKERS, Math.min(workers, processes - 1));
              return maintenance >= useful || useful <= 0
                  ? null
                  : new Recommendation(
                      "max_parallel_maintenance_workers",
                      String.valueOf(maintenance),
                      String.valueOf(useful),
                      "HNSW builds use parallel workers (pgvector 0.6 and later); "
                          + useful
                          + " fit within max_parallel_workers and max_worker_processes",
                      measured);
            })
        .stream()
        .filter(Objects::nonNull)
        .findFirst();
  }
}
