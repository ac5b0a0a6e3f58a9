package io.pgvectorops.jobs.regression;

import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.function.Supplier;

/**
 * A trial inside the measurement transaction (a sweep step, the exact search): its settings are set
 * after a savepoint and undone by rolling back to it, so the next step starts from the probe set's
 * own settings.
 */
final class Trial {
  private Trial() {}

  static <T> T run(Jdbc jdbc, Connection c, Supplier<T> trial) {
    jdbc.update(c, SqlFile.load("session/savepoint_trial"));
    T result = trial.get();
    jdbc.update(c, SqlFile.load("session/rollback_to_trial"));
    return result;
  }

  /** One setting for the rest of the transaction (or of the trial). */
  static void set(Jdbc jdbc, Connection c, String setting, String value) {
    jdbc.query(c, SqlFile.load("session/local_setting"), rs -> rs.getString(1), setting, value);
  }
}
