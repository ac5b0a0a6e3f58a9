package io.pgvectorops.fleet;

import com.zaxxer.hikari.HikariDataSource;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.target.ConnectionPools;
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
    String password =
        Credentials.password(
            entry.password,
            entry.passwordFile,
            entry.source == null ? configFile : entry.source,
            entry.key);
    try (HikariDataSource ds =
        ConnectionPools.create(
            "list-" + entry.name,
            entry.url,
            entry.user,
            password,
            1,
            entry.statementTimeout,
            entry.lockTimeout,
            entry.connectTimeout,
            null,
            entry.tls == null
                ? null
                : entry.tls.resolve(entry.source == null ? configFile : entry.source, entry.key))) {
      return new Jdbc("target " + entry.name, ds).query(LIST, rs -> rs.getString(1));
    }
  }
}
