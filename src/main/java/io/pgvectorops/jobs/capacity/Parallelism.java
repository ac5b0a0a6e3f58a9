package io.pgvectorops.jobs.capacity;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.jobs.capacity.CapacityJob.IndexCapacity;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
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
        .query(c, SqlFile.load("probes/capacity_parallel"), rs -> advice(rs, advisories))
        .stream()
        .filter(Objects::nonNull)
        .findFirst();
  }

  private static Recommendation noWorkers(int maintenance, Advisory defect, String measured) {
    return new Recommendation(
        "max_parallel_maintenance_workers",
        String.valueOf(maintenance),
        "0 for HNSW builds (SET per session) until pgvector is upgraded",
        "the installed pgvector's parallel HNSW build is defective ("
            + defect.id()
            + ": "
            + defect.summary()
            + "); index-rebuild already builds these without workers",
        measured);
  }

  /** Null when the server's setting is right for the installed pgvector. */
  private static Recommendation advice(ResultSet rs, Advisories advisories) throws SQLException {
    int maintenance = rs.getInt("max_parallel_maintenance_workers");
    int workers = rs.getInt("max_parallel_workers");
    int processes = rs.getInt("max_worker_processes");
    var versions = new PgvectorVersions(rs.getString("pgvector"), rs.getString("pgvector_library"));
    var defects = advisories.affecting(versions, Advisories.Affects.PARALLEL_HNSW_BUILD);
    String measured =
        String.format(
            Locale.ROOT,
            "max_parallel_maintenance_workers %d, max_parallel_workers %d,"
                + " max_worker_processes %d, pgvector %s",
            maintenance,
            workers,
            processes,
            versions.describe());
    if (!defects.isEmpty()) {
      return maintenance == 0 ? null : noWorkers(maintenance, defects.get(0), measured);
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
  }
}
