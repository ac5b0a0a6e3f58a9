package io.pgvectorops.sql;

import io.pgvectorops.common.Text;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed database call, converted once at the JDBC boundary. Carries where it happened (target
 * and statement name) and the SQLSTATE, never the statement's parameters.
 */
public class DbException extends RuntimeException {
  private final String where;
  private final String statement;
  private final String sqlState;
  private final String detail;

  public DbException(String where, String statement, SQLException cause) {
    super(
        where
            + (statement == null ? "" : " [" + statement + "]")
            + ": "
            + Text.firstLine(reason(cause)),
        cause);
    this.where = where;
    this.statement = statement;
    this.sqlState = cause.getSQLState();
    this.detail = Text.firstLine(reason(cause));
  }

  public String where() {
    return where;
  }

  /** The statement that failed; null when no connection could be had (down, refused, login). */
  public String statement() {
    return statement;
  }

  /** The database's own words, without where it happened. */
  public String detail() {
    return detail;
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

  /** Said of a session given up by {@link NetworkTimeout}. */
  public static final String NO_ANSWER =
      "no answer from the server within the statement timeout + "
          + NetworkTimeout.MARGIN_MILLIS / 1000
          + " s: the network or the server stopped answering, and the session was given up";

  /**
   * The server stopped answering: the driver's socket timeout ended the wait (a partition, a frozen
   * host), as opposed to an error the server sent.
   */
  public boolean isNoAnswer() {
    return getCause() instanceof SQLException e && noAnswer(e);
  }

  private static boolean noAnswer(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** The statement was cancelled (our shutdown, or statement_timeout). */
  public boolean isCancelled() {
    return "57014".equals(sqlState);
  }

  /**
   * The pool's "connection is not available" hides the real reason (refused, auth failed): use it.
   */
  private static final Pattern HOST_NOT_NAMED =
      Pattern.compile("The hostname (\\S+) could not be verified");

  private static String reason(SQLException e) {
    if (noAnswer(e)) {
      return NO_ANSWER;
    }
    String tls = tlsReason(e);
    if (tls != null) {
      return tls;
    }
    if (e instanceof SQLTransientConnectionException
        && e.getCause() != null
        && e.getCause().getMessage() != null) {
      return e.getCause().getMessage();
    }
    return e.getMessage();
  }

  /**
   * The driver's words for a certificate it refused are a Java stack's ("PKIX path building failed:
   * sun.security…"): said here as an operator reads them, naming the setting to look at.
   */
  private static String tlsReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof java.security.cert.CertPathBuilderException
          || m.contains("PKIX path building failed")) {
        return "TLS: the server's certificate is not signed by a CA in tls.rootCert (the"
            + " certificate path could not be built)";
      }
      Matcher host = HOST_NOT_NAMED.matcher(m);
      if (host.find()) {
        return "TLS: the server's certificate does not name the host "
            + host.group(1)
            + " (sslmode verify-full): connect by a name the certificate has, or use verify-ca";
      }
      if (m.contains("The server does not support SSL")) {
        return "TLS: the server does not offer TLS, and tls.mode requires it";
      }
    }
    return null;
  }
}
