package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.sql.NetworkTimeout;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * The sample from the job's target to its lab target, one COPY row at a time: neither the daemon
 * nor either server holds it whole. The job's target only reads (a read-only transaction); the
 * lab's table is filled in one transaction, so a failed copy leaves it empty.
 */
final class LabCopy {
  private LabCopy() {}

  /** Copies the rows {@code rows} selects on the source into {@code table} on the lab. */
  static void copy(Sites sites, TrialParams p, SqlFile rows, String table) {
    String copyOut = "COPY (" + rows.statement().replaceAll(";$", "") + ") TO STDOUT";
    long timeout = p.statementTimeout.toMilliseconds();
    JobContext lab = sites.scratch();
    sites
        .source()
        .target()
        .jdbc()
        .readOnlyThenRollback(
            sites.source().connection(),
            false,
            timeout,
            from -> {
              into(lab, timeout, to -> stream(from, to, copyOut, table));
              return null;
            });
  }

  private interface Load {
    void into(Connection to) throws SQLException;
  }

  /** One transaction on the lab's session, with the trial's statement_timeout. */
  private static void into(JobContext lab, long timeout, Load load) throws SQLException {
    Connection c = lab.connection();
    int network = NetworkTimeout.allow(c, timeout);
    boolean done = false;
    try {
      c.setAutoCommit(false);
      lab.target()
          .jdbc()
          .query(
              c,
              SqlFile.load("session/local_statement_timeout"),
              rs -> rs.getString(1),
              String.valueOf(timeout));
      load.into(c);
      c.commit();
      done = true;
    } finally {
      if (!done) {
        rollbackQuietly(c);
      }
      c.setAutoCommit(true);
      NetworkTimeout.restore(c, network);
    }
  }

  private static void stream(Connection from, Connection to, String copyOut, String table)
      throws SQLException {
    CopyOut out = from.unwrap(PGConnection.class).getCopyAPI().copyOut(copyOut);
    CopyIn in;
    try {
      in = to.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
    } catch (SQLException e) {
      out.cancelCopy();
      throw e;
    }
    try {
      for (byte[] row = out.readFromCopy(); row != null; row = out.readFromCopy()) {
        in.writeToCopy(row, 0, row.length);
      }
      in.endCopy();
    } catch (SQLException e) {
      cancelQuietly(out::cancelCopy, out::isActive);
      cancelQuietly(in::cancelCopy, in::isActive);
      throw e;
    }
  }

  private interface Cancel {
    void cancel() throws SQLException;
  }

  private static void cancelQuietly(Cancel cancel, java.util.function.BooleanSupplier active) {
    try {
      if (active.getAsBoolean()) {
        cancel.cancel();
      }
    } catch (SQLException e) {
      // the failure being thrown says what went wrong; the session is rolled back after it
    }
  }

  /** After a failure, which is what the run reports: a broken session cannot roll back anyway. */
  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the pool discards a broken connection
    }
  }
}
