package io.pgvectorops.jobs.tiering;

import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tiering kind's records: the rows its runs moved, read from their summaries. */
public final class TieringRecords {
  private final Jdbc jdbc;

  public TieringRecords(StateAccess state) {
    this.jdbc = state.jdbc();
  }

  /** Rows moved per target, over every run the state schema keeps (dry runs excluded). */
  Map<String, Long> rowsMoved() {
    Map<String, Long> moved = new LinkedHashMap<>();
    jdbc.query(
        SqlFile.load("store/tiering_rows_moved"),
        rs -> moved.put(rs.getString("target"), rs.getLong("moved")));
    return moved;
  }
}
