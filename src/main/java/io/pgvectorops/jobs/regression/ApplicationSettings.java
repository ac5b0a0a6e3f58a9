package io.pgvectorops.jobs.regression;

import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search settings (hnsw.ef_search, ivfflat.probes, iterative scans, …) an application's new
 * session gets, read fresh every run from pg_db_role_setting and the server's configuration, so the
 * job measures what the application gets rather than what its own pooled session was opened with.
 * Applied with SET LOCAL in the measuring transaction.
 */
final class ApplicationSettings {
  /** One setting, and where its value comes from (database and role, role, database, server…). */
  record Setting(String name, String value, String level) {}

  /**
   * @param role the application's role, or null for the database's defaults
   * @param roleExists false when a role was named that the server does not have
   */
  record Read(String role, boolean roleExists, List<Setting> settings) {
    /** name → where its value came from, for the summary. */
    Map<String, String> levels() {
      Map<String, String> out = new LinkedHashMap<>();
      settings.forEach(s -> out.put(s.name(), s.level()));
      return out;
    }
  }

  private ApplicationSettings() {}

  /** Needs pgvector's library loaded in the session (after a first vector statement). */
  static Read read(Jdbc jdbc, Connection c, String role) {
    record Row(Setting setting, boolean roleExists) {}
    List<Row> rows =
        jdbc.query(
            c,
            SqlFile.load("probes/application_search_settings"),
            rs ->
                new Row(
                    new Setting(rs.getString("name"), rs.getString("value"), rs.getString("level")),
                    rs.getBoolean("role_exists")),
            role);
    boolean exists = role == null || rows.isEmpty() || rows.stream().anyMatch(Row::roleExists);
    return new Read(role, exists, rows.stream().map(Row::setting).toList());
  }

  /** SET LOCAL each one: the transaction measures with them, and the session is left as it was. */
  static void apply(Jdbc jdbc, Connection c, Read read) {
    for (Setting s : read.settings()) {
      if (s.value() != null) {
        Trial.set(jdbc, c, s.name(), s.value());
      }
    }
  }
}
