package io.pgvectorops.jobs.tally;

import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The tally kind's table: runs counted per target. */
public final class TallyStore {
  /** One target's count. */
  public record Count(String target, long runs) {}

  // a test kind's statements are written here rather than under sql/, which holds the daemon's
  private static final SqlFile COUNT_RUN =
      SqlFile.tagged(
          "tally_count_run",
          "INSERT INTO tally_runs (target, runs, last_run_at) VALUES (?, 1, ?)"
              + " ON CONFLICT (target) DO UPDATE"
              + " SET runs = tally_runs.runs + 1, last_run_at = excluded.last_run_at"
              + " RETURNING runs");
  private static final SqlFile COUNTS =
      SqlFile.tagged("tally_counts", "SELECT target, runs FROM tally_runs ORDER BY target");

  private final Jdbc jdbc;

  public TallyStore(StateAccess state) {
    this.jdbc = state.jdbc();
  }

  long countRun(String target, Instant at) {
    return jdbc.queryOne(COUNT_RUN, rs -> rs.getLong(1), target, at.atOffset(ZoneOffset.UTC))
        .orElseThrow();
  }

  List<Count> counts() {
    return jdbc.query(COUNTS, rs -> new Count(rs.getString(1), rs.getLong(2)));
  }
}
