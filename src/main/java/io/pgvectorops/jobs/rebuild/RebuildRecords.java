package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.util.List;

/**
 * The index-rebuild kind's records: what its finished runs rebuilt, read from their summaries in
 * the run table (failed attempts and dry runs left out).
 */
public final class RebuildRecords implements RebuildHistory {
  private final Jdbc jdbc;

  public RebuildRecords(StateAccess state) {
    this.jdbc = state.jdbc();
  }

  @Override
  public List<Rebuild> rebuildsOf(String target) {
    return jdbc.query(
        SqlFile.load("store/rebuilds_of_target"),
        rs ->
            new Rebuild(
                rs.getLong("run_id"),
                Rows.instant(rs, "ended_at"),
                rs.getString("index_name"),
                rs.getString("reason"),
                (Double) rs.getObject("seconds"),
                Rows.longOrNull(rs, "size_before"),
                Rows.longOrNull(rs, "size_after")),
        target);
  }
}
