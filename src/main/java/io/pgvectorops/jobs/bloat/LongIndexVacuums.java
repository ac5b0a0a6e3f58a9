package io.pgvectorops.jobs.bloat;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RebuildTime;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * A VACUUM still working on a table with an HNSW index after longer than a rebuild of that index
 * would take. pgvector's index vacuum after mass deletes repairs the graph element by element and
 * can run for hours (pgvector #450: a 31 GB index cancelled after 10 hours, rebuilt in under 10
 * minutes), and pgvector's README advises REINDEX INDEX CONCURRENTLY before VACUUM in that case.
 */
final class LongIndexVacuums {
  static final FindingKind HNSW_VACUUM_RUNNING_LONG =
      new FindingKind(
          "hnsw-vacuum-running-long",
          Finding.Severity.warning,
          Finding.Severity.warning,
          "Cancel the vacuum (SELECT pg_cancel_backend(pid), pid in the figures), then REINDEX"
              + " INDEX CONCURRENTLY {object} (the index-rebuild job does it), then VACUUM its"
              + " table: the vacuum has far less to repair in a fresh graph.");

  /** One HNSW index of a table being vacuumed now. */
  record Running(
      int pid,
      String table,
      String index,
      long indexBytes,
      String phase,
      boolean autovacuum,
      long seconds) {}

  private final BloatParams p;
  private final Optional<RebuildHistory> rebuilds;

  LongIndexVacuums(BloatParams p, Optional<RebuildHistory> rebuilds) {
    this.p = p;
    this.rebuilds = rebuilds;
  }

  /** Adds a finding per HNSW index whose table's vacuum has outrun a rebuild; how many run now. */
  int judge(Jdbc jdbc, Connection c, String target, List<Finding> findings) {
    List<Running> running =
        jdbc.query(
            c,
            SqlFile.load("probes/hnsw_vacuum_running"),
            rs ->
                new Running(
                    rs.getInt("pid"),
                    ObjectNames.qualified(rs.getString("schema_name"), rs.getString("table_name")),
                    ObjectNames.qualified(rs.getString("schema_name"), rs.getString("index_name")),
                    rs.getLong("index_bytes"),
                    rs.getString("phase"),
                    rs.getBoolean("autovacuum"),
                    rs.getLong("seconds")));
    List<RebuildHistory.Rebuild> past = rebuilds.map(r -> r.rebuildsOf(target)).orElse(List.of());
    for (Running r : running) {
      RebuildTime rebuild = estimate(r, past);
      if (r.seconds() >= Math.max(p.vacuumLongerThan.toSeconds(), rebuild.seconds())) {
        findings.add(finding(r, rebuild));
      }
    }
    return running.size();
  }

  /** See {@link RebuildTime}: the index's own last rebuild speed, else rebuildBytesPerSecond. */
  RebuildTime estimate(Running r, List<RebuildHistory.Rebuild> past) {
    return RebuildTime.of(
        r.index(),
        r.indexBytes(),
        past,
        p.rebuildBytesPerSecond.toBytes(),
        "rebuildBytesPerSecond");
  }

  private static Finding finding(Running r, RebuildTime rebuild) {
    return Finding.warning(
        r.index(),
        HNSW_VACUUM_RUNNING_LONG,
        (r.autovacuum() ? "autovacuum" : "VACUUM")
            + " of "
            + r.table()
            + " (pid "
            + r.pid()
            + ", phase "
            + r.phase()
            + ") has run "
            + duration(r.seconds())
            + ", longer than a rebuild of its HNSW index "
            + r.index()
            + " ("
            + BloatJob.mb(r.indexBytes())
            + ") would take: about "
            + duration(rebuild.seconds())
            + ", from "
            + rebuild.from()
            + ". pgvector's README advises REINDEX INDEX CONCURRENTLY "
            + r.index()
            + " before VACUUM after mass deletes: cancel this vacuum, rebuild, then vacuum",
        Metrics.of()
            .put("pid", r.pid())
            .put("table", r.table())
            .put("phase", r.phase())
            .put("autovacuum", r.autovacuum())
            .put("seconds", r.seconds())
            .put("indexBytes", r.indexBytes())
            .put("estimatedRebuildSeconds", rebuild.seconds())
            .asMap());
  }

  private static String duration(long seconds) {
    return seconds < 120
        ? seconds + " s"
        : seconds < 7200
            ? seconds / 60 + " min"
            : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
