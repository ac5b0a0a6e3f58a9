package io.pgvectorops.jobs;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.TargetInventory;
import java.time.Instant;
import java.util.Map;

/**
 * A target found unreachable: the API's snapshot says so at once, and the critical finding that
 * alerts. Health raises it when it cannot connect; the runner when any run's server stopped
 * answering mid-statement.
 */
public final class Unreachable {
  private Unreachable() {}

  public static Finding recorded(
      TargetInventory inventory, String target, String message, DbException cause, Instant now) {
    inventory.saveUnreachable(target, now, message);
    return Finding.critical(
        target,
        SharedFindings.TARGET_UNREACHABLE,
        message,
        Map.of("sqlState", String.valueOf(cause.sqlState())));
  }
}
