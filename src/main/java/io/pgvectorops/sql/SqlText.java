package io.pgvectorops.sql;

import java.sql.SQLException;
import java.util.List;

/** Checks on SQL an operator writes in a job file (a sql-check query, a probe query, a filter). */
public final class SqlText {
  private SqlText() {}

  /**
   * The driver splits a query on semicolons and would send each part, so "SELECT 1; COMMIT; DROP
   * ..." would leave a read-only transaction. Its own parser tells how many statements it would send.
   *
   * @return the query without trailing semicolons, or null when it holds several statements
   */
  public static String singleStatement(String query) throws SQLException {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    List<org.postgresql.core.NativeQuery> parts =
        org.postgresql.core.Parser.parseJdbcSql(q, true, false, true, false, false);
    long statements = parts.stream().filter(n -> !n.nativeSql.isBlank()).count();
    return statements == 1 ? q : null;
  }

  /** A WHERE condition that cannot end its statement (no semicolon outside quotes and comments). */
  public static boolean isSingleCondition(String condition) throws SQLException {
    return singleStatement("SELECT 1 WHERE (\n" + condition + "\n)") != null;
  }
}
