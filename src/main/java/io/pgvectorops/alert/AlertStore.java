package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alerts, silences, notifications and deliveries in the state schema. */
public class AlertStore {
  /** One delivery of a notification through a channel, for the API. */
  public record Delivery(
      long notificationId,
      String idempotencyKey,
      String transition,
      String channel,
      String status,
      int attempts,
      String lastError,
      Instant deliveredAt,
      Instant createdAt) {}

  private final Jdbc jdbc;
  private final ObjectMapper mapper;

  public AlertStore(Jdbc jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = mapper;
  }

  Jdbc jdbc() {
    return jdbc;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  AlertRecord alert(ResultSet rs) throws SQLException {
    return new AlertRecord(
        rs.getLong("id"),
        rs.getString("target"),
        rs.getString("object"),
        rs.getString("kind"),
        rs.getString("job"),
        Severity.valueOf(rs.getString("severity")),
        AlertState.valueOf(rs.getString("state")),
        rs.getString("message"),
        Rows.json(mapper, rs, "metrics"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "last_seen_at"),
        Rows.instant(rs, "clear_since"),
        Rows.instant(rs, "resolved_at"),
        Rows.instant(rs, "last_notified_at"),
        rs.getString("notified_severity") == null
            ? null
            : Severity.valueOf(rs.getString("notified_severity")));
  }

  static Silence silence(ResultSet rs) throws SQLException {
    return new Silence(
        rs.getLong("id"),
        rs.getString("target"),
        rs.getString("kind"),
        rs.getString("object_pattern"),
        Rows.instant(rs, "starts_at"),
        Rows.instant(rs, "ends_at"),
        rs.getString("comment"),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "expired_at"));
  }

  public List<AlertRecord> list(String state, int limit) {
    return jdbc.query(SqlFile.load("store/alerts_list"), this::alert, state, limit);
  }

  public Map<Long, List<Delivery>> deliveries(List<Long> alertIds) {
    Map<Long, List<Delivery>> out = new LinkedHashMap<>();
    jdbc.query(
        SqlFile.load("store/alert_deliveries"),
        rs ->
            out.computeIfAbsent(rs.getLong("alert_id"), k -> new ArrayList<>())
                .add(
                    new Delivery(
                        rs.getLong("notification_id"),
                        rs.getString("idempotency_key"),
                        rs.getString("transition"),
                        rs.getString("channel"),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        Rows.instant(rs, "delivered_at"),
                        Rows.instant(rs, "created_at"))),
        (Object) alertIds.toArray(Long[]::new));
    return out;
  }

  public List<Silence> activeSilences(Instant at) {
    return jdbc.query(SqlFile.load("store/silences_active"), AlertStore::silence, at, at);
  }

  List<Silence> activeSilences(Connection c, Instant at) {
    return jdbc.query(c, SqlFile.load("store/silences_active"), AlertStore::silence, at, at);
  }

  /** Newest first, those with an id below {@code before}. */
  public List<Silence> silences(long before, int limit) {
    return jdbc.query(SqlFile.load("store/silences_all"), AlertStore::silence, before, limit);
  }

  /** Silences in force or scheduled at {@code at}. */
  public long pendingSilences(Instant at) {
    return jdbc.query(SqlFile.load("store/silences_pending_count"), rs -> rs.getLong(1), at).get(0);
  }

  public long addSilence(
      String target,
      String kind,
      String objectPattern,
      Instant startsAt,
      Instant endsAt,
      String comment,
      Instant now) {
    return jdbc.query(
            SqlFile.load("store/silence_insert"),
            rs -> rs.getLong(1),
            target,
            kind,
            objectPattern,
            startsAt,
            endsAt,
            comment,
            now)
        .get(0);
  }

  /**
   * @return false when there is no such active silence
   */
  public boolean expireSilence(long id, Instant now) {
    return !jdbc.query(SqlFile.load("store/silence_expire"), rs -> rs.getLong(1), now, id)
        .isEmpty();
  }

  /** channel -> status -> count */
  public Map<String, Map<String, Long>> deliveryCounts() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    jdbc.query(
        SqlFile.load("store/delivery_counts"),
        rs ->
            out.computeIfAbsent(rs.getString("channel"), k -> new LinkedHashMap<>())
                .put(rs.getString("status"), rs.getLong("n")));
    return out;
  }
}
