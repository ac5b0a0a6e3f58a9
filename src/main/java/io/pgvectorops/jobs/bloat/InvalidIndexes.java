package io.pgvectorops.jobs.bloat;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/** Invalid indexes: a failed REINDEX CONCURRENTLY's leftover, or an index queries no longer use. */
final class InvalidIndexes {
  private InvalidIndexes() {}

  /** Adds a finding per invalid index whose build is not running; how many there were. */
  static int judge(Jdbc jdbc, Connection c, List<Finding> findings) {
    List<Finding> invalid =
        jdbc.query(c, SqlFile.load("probes/invalid_indexes"), InvalidIndexes::finding).stream()
            .filter(Objects::nonNull)
            .toList();
    findings.addAll(invalid);
    return invalid.size();
  }

  /** The finding of one invalid index; null while a concurrent build of it runs. */
  private static Finding finding(ResultSet rs) throws SQLException {
    if (rs.getBoolean("build_in_progress")) {
      return null;
    }
    String index = ObjectNames.qualified(rs.getString("schema_name"), rs.getString("index_name"));
    String table = rs.getString("table_name");
    boolean leftover = rs.getBoolean("reindex_leftover");
    boolean vector = List.of("hnsw", "ivfflat", "diskann").contains(rs.getString("method"));
    Metrics metrics =
        Metrics.of()
            .put("sizeBytes", rs.getLong("size_bytes"))
            .put("method", rs.getString("method"));
    return Finding.of(
        index,
        leftover ? BloatJob.REINDEX_LEFTOVER : SharedFindings.INVALID_INDEX,
        vector ? Finding.Severity.critical : Finding.Severity.warning,
        leftover
            ? "index "
                + index
                + " on "
                + table
                + " is an INVALID leftover of a failed REINDEX CONCURRENTLY: DROP INDEX"
                + " CONCURRENTLY it"
            : "index "
                + index
                + " on "
                + table
                + " is INVALID: queries do not use it but writes still maintain it; REINDEX"
                + " INDEX CONCURRENTLY or drop it",
        metrics.asMap());
  }
}
