package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
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

  /** Copies the rows the query {@code rows} selects on the source into {@code table} on the lab. */
  static void copy(Sites sites, TrialParams p, SqlFile rows, String table) {
    String copyOut = rows.copiedOut().text();
    long timeout = p.statementTimeout.toMilliseconds();
    JobContext source = sites.source();
    JobContext lab = sites.scratch();
    source
        .target()
        .jdbc()
        .readOnlyThenRollback(
            source.connection(),
            false,
            timeout,
            from ->
                lab.target()
                    .jdbc()
                    .inTransaction(
                        lab.connection(),
                        timeout,
                        to -> {
                          stream(from, to, copyOut, table);
                          return null;
                        }));
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

  /** After a failure, which is what the run reports: the transactions are rolled back after it. */
  private static void cancelQuietly(Cancel cancel, BooleanSupplier active) {
    try {
      if (active.getAsBoolean()) {
        cancel.cancel();
      }
    } catch (SQLException e) {
      // the failure being thrown says what went wrong
    }
  }
}
