package io.pgvectorops.jobs.bloat;

import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.time.Instant;
import java.util.List;

/**
 * The bloat kind's figures in the state schema: each vector index's estimated waste, written onto
 * the inventory's row of the index (the target API and the metrics read it from there).
 */
public final class BloatStore {
  private final Jdbc jdbc;

  public BloatStore(StateAccess state) {
    this.jdbc = state.jdbc();
  }

  /** The estimates for the target's vector indexes, one list entry per index. */
  void save(
      String target,
      Instant at,
      String method,
      List<String> schemas,
      List<String> indexes,
      List<Double> ratios,
      List<Long> wastedBytes) {
    jdbc.update(
        SqlFile.load("store/vector_index_bloat_update"),
        method,
        at,
        schemas.toArray(String[]::new),
        indexes.toArray(String[]::new),
        ratios.toArray(Double[]::new),
        wastedBytes.toArray(Long[]::new),
        target);
  }
}
