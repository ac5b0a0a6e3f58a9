package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.jobs.FreeSpace;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rebuild run reads of its server before and between builds: pgvector's versions, the
 * server's build settings, leftovers of failed builds, replication and WAL, free disk, and the
 * reasons to postpone a build (the window, old transactions).
 */
final class RebuildReads {
  private RebuildReads() {}

  record Leftover(String schema, String name, long tableOid) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }
  }

  record Replication(String walLsn, String replicas) {}

  /** The SQL objects' and the installed library's versions: advisories follow the library. */
  static PgvectorVersions pgvectorVersions(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/pgvector_version"),
            rs -> new PgvectorVersions(rs.getString("version"), rs.getString("library")))
        .get(0);
  }

  static RebuildPlanner.ServerFacts serverFacts(
      Jdbc jdbc, Connection c, boolean parallelHnswUnsafe) {
    return jdbc.query(
            c,
            SqlFile.load("probes/rebuild_server_facts"),
            rs ->
                new RebuildPlanner.ServerFacts(
                    rs.getInt("max_parallel_maintenance_workers"),
                    rs.getInt("max_worker_processes"),
                    rs.getInt("max_parallel_workers"),
                    rs.getLong("maintenance_work_mem_bytes"),
                    rs.getLong("database_bytes"),
                    parallelHnswUnsafe))
        .get(0);
  }

  /**
   * Tuples of an HNSW index's table since its last vacuum (the statistics collector's), and its
   * vacuums with the milliseconds they took in all (null before PostgreSQL 18, which records it).
   */
  record DeadTuples(long live, long dead, long vacuums, Double vacuumMs) {
    double share() {
      return live + dead == 0 ? 0 : (double) dead / (live + dead);
    }

    /** What a vacuum of the table took on average, or null when not recorded. */
    Double meanVacuumSeconds() {
      return vacuumMs == null || vacuums == 0 ? null : vacuumMs / vacuums / 1000;
    }
  }

  /** Live and dead tuples of every table with an HNSW index, by the table's oid. */
  static Map<Long, DeadTuples> deadTuples(Jdbc jdbc, Connection c) {
    Map<Long, DeadTuples> out = new HashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/hnsw_table_dead_tuples"),
        rs -> {
          double ms = rs.getDouble("vacuum_ms");
          Double vacuumMs = rs.wasNull() ? null : ms;
          return out.put(
              rs.getLong("table_oid"),
              new DeadTuples(
                  rs.getLong("live"), rs.getLong("dead"), rs.getLong("vacuums"), vacuumMs));
        });
    return out;
  }

  /** Invalid vector indexes left by a failed REINDEX CONCURRENTLY, no build running on them. */
  static List<Leftover> leftovers(Jdbc jdbc, Connection c) {
    return jdbc
        .query(
            c,
            SqlFile.load("probes/invalid_indexes"),
            rs ->
                rs.getBoolean("reindex_leftover")
                        && !rs.getBoolean("build_in_progress")
                        && List.of("hnsw", "ivfflat").contains(rs.getString("method"))
                    ? new Leftover(
                        rs.getString("schema_name"),
                        rs.getString("index_name"),
                        rs.getLong("table_oid"))
                    : null)
        .stream()
        .filter(Objects::nonNull)
        .toList();
  }

  static Replication replication(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/replication_state"),
            rs -> new Replication(rs.getString("wal_lsn"), rs.getString("replicas")))
        .get(0);
  }

  /**
   * The free space a rebuild has, as far as it can be known (FreeSpace): read where the first
   * candidate's files are, and checked again before each rebuild.
   */
  static String freeSpace(
      JobContext ctx, RebuildPlanner.Plan plan, RebuildPlanner.ServerFacts server) {
    String need = "each rebuild needs about its index's size again until it finishes";
    if (plan.chosen().isEmpty()) {
      return need;
    }
    FreeSpace.Seen seen =
        FreeSpace.of(ctx.target(), ctx.connection(), plan.chosen().get(0).index().oid());
    return seen.known()
        ? mb(seen.freeBytes())
            + " MiB free in "
            + seen.path()
            + ", checked again before each rebuild: "
            + need
        : "unknown, since "
            + seen.unknownBecause()
            + ": "
            + need
            + " (database is "
            + mb(server.databaseBytes())
            + " MiB)";
  }

  private static long mb(long bytes) {
    return bytes / 1048576;
  }

  /** Why the new copy cannot be built now for lack of disk, read just before; else null. */
  static String doesNotFit(JobContext ctx, RebuildPlanner.Candidate cand) {
    FreeSpace.Seen space = FreeSpace.of(ctx.target(), ctx.connection(), cand.index().oid());
    long need = spaceNeeded(cand);
    if (!space.known() || space.freeBytes() >= need) {
      return null;
    }
    return "needs about "
        + mb(need)
        + " MiB for its new copy until the swap, and "
        + mb(space.freeBytes())
        + " MiB are free in "
        + space.path()
        + ": not started (free space, then the next run)";
  }

  /** About the size of the new copy: the model's for the index built now, else its size. */
  private static long spaceNeeded(RebuildPlanner.Candidate cand) {
    long expected = cand.index().expectedBytes();
    return (long) ((expected > 0 ? expected : cand.index().actualBytes()) * 1.1);
  }

  /** Why not now: an old transaction would block the waiting phases, or the window closes first. */
  static String postpone(
      JobContext ctx, RebuildPlanner.Candidate cand, long oldTransactionSeconds) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    JobDefinition job = ctx.job();
    Instant now = ctx.clock().instant();
    if (job.window() != null && job.window().contains(now)) {
      Instant end = job.window().endAfter(now);
      if (now.plusSeconds(cand.estimate().seconds()).isAfter(end)) {
        return "estimated "
            + cand.estimate().seconds()
            + " s (from "
            + cand.estimate().from()
            + ") would not end before the window closes at "
            + end;
      }
    }
    List<String> old =
        jdbc.query(
            c,
            SqlFile.load("probes/old_transactions"),
            rs ->
                "pid "
                    + rs.getInt("pid")
                    + " ("
                    + rs.getString("state")
                    + ", transaction open "
                    + rs.getLong("xact_seconds")
                    + " s)",
            oldTransactionSeconds);
    return old.isEmpty()
        ? null
        : "postponed: REINDEX CONCURRENTLY would wait for " + String.join(", ", old);
  }
}
