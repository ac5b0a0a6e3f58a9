package io.pgvectorops.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.TargetSnapshot;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The latest observation of each target and its vector indexes (written by the health job). */
public class InventoryStore implements TargetInventory {
  private final Jdbc jdbc;
  private final ObjectMapper mapper;

  /** How many days of history the store keeps by default (state.historyRetention). */
  public static final int HISTORY_DAYS = 90;

  private final int historyDays;

  public InventoryStore(Jdbc jdbc, ObjectMapper mapper) {
    this(jdbc, mapper, HISTORY_DAYS);
  }

  /**
   * @param historyDays days of vector index history kept
   */
  public InventoryStore(Jdbc jdbc, ObjectMapper mapper, int historyDays) {
    this.jdbc = jdbc;
    this.mapper = mapper;
    this.historyDays = historyDays;
  }

  /** Days of history this store keeps (state.historyDays). */
  @Override
  public int historyDays() {
    return historyDays;
  }

  private void putIndex(Connection c, SqlFile upsert, String target, Instant at, VectorIndex v) {
    jdbc.update(
        c,
        upsert,
        target,
        v.schema(),
        v.name(),
        v.table(),
        v.column(),
        v.columnType(),
        v.dimensions(),
        v.method(),
        v.opclass(),
        Rows.toJson(mapper, v.options()),
        v.sizeBytes(),
        v.tableBytes(),
        v.rows(),
        v.valid(),
        v.definition(),
        at,
        v.partitionOf(),
        v.partitions() == null ? null : Rows.toJson(mapper, v.partitions()));
  }

  @Override
  public void saveReachable(
      String target,
      Instant at,
      String serverVersion,
      int serverVersionNum,
      boolean inRecovery,
      String pgvectorVersion,
      String pgvectorAvailable,
      Map<String, ?> extensions,
      List<VectorIndex> indexes) {
    jdbc.inTransaction(
        c -> {
          jdbc.update(
              c,
              SqlFile.load("store/snapshot_reachable"),
              target,
              at,
              serverVersion,
              serverVersionNum,
              inRecovery,
              pgvectorVersion,
              pgvectorAvailable,
              Rows.toJson(mapper, extensions),
              at);
          SqlFile upsert = SqlFile.load("store/vector_index_upsert");
          for (VectorIndex v : indexes) {
            putIndex(c, upsert, target, at, v);
          }
          jdbc.update(c, SqlFile.load("store/vector_index_forget_unseen"), target, at);
          return null;
        });
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    recordHistory(target, day, day.minusDays(historyDays));
  }

  @Override
  public void saveUnreachable(String target, Instant at, String error) {
    jdbc.update(SqlFile.load("store/snapshot_unreachable"), target, at, error);
  }

  public List<TargetSnapshot> snapshots() {
    return jdbc.query(
        SqlFile.load("store/snapshots"),
        rs ->
            new TargetSnapshot(
                rs.getString("target"),
                Rows.instant(rs, "observed_at"),
                rs.getBoolean("reachable"),
                rs.getString("error"),
                rs.getString("server_version"),
                Rows.intOrNull(rs, "server_version_num"),
                (Boolean) rs.getObject("in_recovery"),
                rs.getString("pgvector_version"),
                rs.getString("pgvector_available"),
                Rows.json(mapper, rs, "extensions"),
                Rows.instant(rs, "last_reachable_at")));
  }

  @Override
  public List<VectorIndex> indexes(String target) {
    return jdbc.query(SqlFile.load("store/vector_indexes_of_target"), this::index, target);
  }

  private VectorIndex index(ResultSet rs) throws SQLException {
    Map<String, String> options;
    try {
      options =
          mapper.readValue(rs.getString("options"), new TypeReference<Map<String, String>>() {});
    } catch (IOException e) {
      throw new SQLException("vector_index.options holds invalid JSON", e);
    }
    return new VectorIndex(
        rs.getString("schema_name"),
        rs.getString("index_name"),
        rs.getString("table_name"),
        rs.getString("column_name"),
        rs.getString("column_type"),
        Rows.intOrNull(rs, "dimensions"),
        rs.getString("method"),
        rs.getString("opclass"),
        options,
        rs.getLong("size_bytes"),
        rs.getLong("table_bytes"),
        Rows.longOrNull(rs, "rows"),
        rs.getBoolean("valid"),
        rs.getString("definition"),
        Rows.instant(rs, "observed_at"),
        rs.getObject("bloat_ratio") == null
            ? null
            : new VectorIndex.Bloat(
                rs.getDouble("bloat_ratio"),
                Rows.longOrNull(rs, "bloat_bytes"),
                rs.getString("bloat_method"),
                Rows.instant(rs, "bloat_measured_at")),
        rs.getObject("residency") == null ? null : rs.getDouble("residency"),
        Rows.instant(rs, "residency_measured_at"),
        rs.getString("partition_of"),
        partitions(rs.getString("partitions")));
  }

  private List<String> partitions(String json) throws SQLException {
    try {
      return json == null ? null : mapper.readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new SQLException("vector_index.partitions holds invalid JSON", e);
    }
  }

  /** Records today's sample of every vector index of the target and prunes old days. */
  public void recordHistory(String target, LocalDate day, LocalDate firstKept) {
    jdbc.update(SqlFile.load("store/history_record_day"), day, target);
    jdbc.update(SqlFile.load("store/history_prune"), firstKept);
  }

  /** A sample given directly (backfill; tests). */
  public void putSample(String target, String schema, String index, Sample s) {
    jdbc.update(
        SqlFile.load("store/history_put"),
        target,
        schema,
        index,
        s.day(),
        s.rows(),
        s.sizeBytes(),
        s.tableBytes(),
        s.residency());
  }

  /** The target's samples since {@code from}, by index (qualified name) then day. */
  @Override
  public List<Sample> history(String target, LocalDate from) {
    return jdbc.query(
        SqlFile.load("store/history_of_target"),
        rs ->
            new Sample(
                ObjectNames.qualified(rs.getString("schema_name"), rs.getString("index_name")),
                rs.getObject("day", LocalDate.class),
                Rows.longOrNull(rs, "rows"),
                rs.getLong("size_bytes"),
                rs.getLong("table_bytes"),
                rs.getObject("residency") == null ? null : rs.getDouble("residency")),
        target,
        from);
  }
}
