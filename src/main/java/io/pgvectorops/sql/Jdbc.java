package io.pgvectorops.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one place where JDBC calls happen and {@link SQLException} becomes {@link DbException}.
 * {@code where} names the database for messages ("target prod", "state").
 */
public final class Jdbc {
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  public interface ConnectionWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private final String where;
  private final DataSource dataSource;

  public Jdbc(String where, DataSource dataSource) {
    this.where = where;
    this.dataSource = dataSource;
  }

  public String where() {
    return where;
  }

  public <T> T withConnection(ConnectionWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw new DbException(where, null, e);
    }
  }

  public <T> T inTransaction(ConnectionWork<T> work) {
    return withConnection(
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.apply(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            try {
              c.rollback();
            } catch (SQLException rollbackFailure) {
              e.addSuppressed(rollbackFailure);
            }
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  public <T> List<T> query(SqlFile sql, RowMapper<T> mapper, Object... params) {
    return withConnection(c -> query(c, sql, mapper, params));
  }

  public <T> Optional<T> queryOne(SqlFile sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public int update(SqlFile sql, Object... params) {
    return withConnection(c -> update(c, sql, params));
  }

  /** Runs on a caller's connection; SQLExceptions are converted here too. */
  public <T> List<T> query(Connection c, SqlFile sql, RowMapper<T> mapper, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new DbException(where, sql.name(), e);
    }
  }

  public int update(Connection c, SqlFile sql, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql.text())) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DbException(where, sql.name(), e);
    }
  }

  private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof java.time.Instant instant) {
        p = java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
      }
      ps.setObject(i + 1, p);
    }
  }
}
