package io.pgvectorops.fleet;

import com.zaxxer.hikari.HikariDataSource;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.Targets;
import java.util.List;

/** Reads the database list of the server a {@code databases: all} entry names. */
final class DatabaseListing {
  private static final SqlFile LIST = SqlFile.load("fleet/list_databases");

  private DatabaseListing() {}

  /**
   * @param configFile the configuration file, for a passwordFile's message
   * @throws DbException when the server cannot be reached or read
   */
  static List<String> databases(TargetConfig entry, String configFile) {
    // the entry's own settings: timeouts, TLS, credentials, as any target's pool
    Target listing = Targets.open(entry, configFile);
    try (HikariDataSource ds = listing.dataSource()) {
      return listing.jdbc().query(LIST, rs -> rs.getString(1));
    }
  }
}
