package io.pgvectorops.state;

import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.time.Instant;
import java.util.List;

/** The audit trail in the state schema: appended to, read newest first, never pruned. */
public class AuditStore {
  /** How a recorded call ended. */
  public enum Outcome {
    succeeded,
    /** No valid token, or a role that may not do this. */
    refused,
    /** Authorised, but the call itself failed (bad request, unknown object, server error). */
    failed
  }

  /** One recorded call. {@code tokenName} and {@code role} are null when no token matched. */
  public record Entry(
      long id,
      Instant at,
      String tokenName,
      String role,
      String client,
      String action,
      String object,
      Outcome outcome,
      int status,
      String detail) {}

  private final Jdbc jdbc;

  public AuditStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public void record(Entry e) {
    jdbc.update(
        SqlFile.load("store/audit_insert"),
        e.at(),
        e.tokenName(),
        e.role(),
        e.client(),
        e.action(),
        e.object(),
        e.outcome().name(),
        e.status(),
        e.detail());
  }

  /**
   * @param action null for every action
   */
  public List<Entry> recent(String action, int limit) {
    return jdbc.query(
        SqlFile.load("store/audit_recent"),
        rs ->
            new Entry(
                rs.getLong("id"),
                Rows.instant(rs, "at"),
                rs.getString("token_name"),
                rs.getString("role"),
                rs.getString("client"),
                rs.getString("action"),
                rs.getString("object"),
                Outcome.valueOf(rs.getString("outcome")),
                rs.getInt("status"),
                rs.getString("detail")),
        action,
        action,
        limit);
  }
}
