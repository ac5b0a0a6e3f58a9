package io.pgvectorops.jobs.prewarm;

import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.time.Instant;
import java.util.List;

/**
 * The prewarm kind's records in the state schema: the share of each vector index in shared buffers
 * (on the inventory's row of the index), and the server start it last saw, so a restart is known.
 */
public final class ResidencyStore {
  private final Jdbc jdbc;

  public ResidencyStore(StateAccess state) {
    this.jdbc = state.jdbc();
  }

  void saveResidency(
      String target, Instant at, List<String> schemas, List<String> indexes, List<Double> ratios) {
    jdbc.update(
        SqlFile.load("store/vector_index_residency_update"),
        at,
        schemas.toArray(String[]::new),
        indexes.toArray(String[]::new),
        ratios.toArray(Double[]::new),
        target);
  }

  /** Records the target's postmaster start and returns the one recorded before (null at first). */
  Instant swapPostmasterStart(String target, Instant start) {
    return jdbc.query(
            SqlFile.load("store/prewarm_marker_swap"),
            rs -> Rows.instant(rs, "previous"),
            target,
            target,
            start)
        .get(0);
  }
}
