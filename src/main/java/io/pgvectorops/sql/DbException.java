package io.pgvectorops.sql;

import java.sql.SQLException;

/**
 * A failed database call, converted once at the JDBC boundary. Carries where it happened
 * (target and statement name) and the SQLSTATE, never the statement's parameters.
 */
public class DbException extends RuntimeException {
  private final String where;
  private final String sqlState;

  public DbException(String where, String statement, SQLException cause) {
    super(where + (statement == null ? "" : " [" + statement + "]") + ": " + firstLine(cause.getMessage()), cause);
    this.where = where;
    this.sqlState = cause.getSQLState();
  }

  public String where() {
    return where;
  }

  public String sqlState() {
    return sqlState;
  }

  /** Connection-class errors (08xxx) and the server shutting down (57P0x). */
  public boolean isConnectionFailure() {
    return isConnectionState(sqlState);
  }

  public static boolean isConnectionState(String state) {
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** The statement was cancelled (our shutdown, or statement_timeout). */
  public boolean isCancelled() {
    return "57014".equals(sqlState);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
