package io.pgvectorops.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/** Column readers shared by the stores. */
public final class Rows {
  private Rows() {}

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  public static String toJson(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value == null ? Map.of() : value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value is not serialisable to JSON", e);
    }
  }

  public static JsonNode jsonOf(ObjectMapper mapper, String text) {
    try {
      return text == null ? mapper.nullNode() : mapper.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid JSON", e);
    }
  }

  public static JsonNode json(ObjectMapper mapper, ResultSet rs, String column)
      throws SQLException {
    String text = rs.getString(column);
    try {
      return text == null ? mapper.nullNode() : mapper.readTree(text);
    } catch (IOException e) {
      throw new SQLException("column " + column + " holds invalid JSON", e);
    }
  }
}
