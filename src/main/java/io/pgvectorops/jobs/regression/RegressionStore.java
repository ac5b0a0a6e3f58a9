package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The regression job's probe sets, cached ground truth, series and baselines; it provides the
 * latest figures of each index to other kinds and the chassis as {@link RecallReadings}.
 */
public class RegressionStore implements RecallReadings {
  /** The label of a probe set over all the table's rows (no filter). */

  /** How an index is measured: which vectors, against which table, column and operator. */
  public record ProbeSet(
      long id,
      String target,
      String index,
      String label,
      JsonNode spec,
      String table,
      String column,
      String columnType,
      String operator,
      Instant createdAt) {}

  public record Probe(String vector, String sourceTid) {}

  public record GroundTruth(
      Instant computedAt,
      String method,
      long tableOid,
      long tableChanges,
      long liveRows,
      long rowsScanned,
      long millis,
      double[][] distances) {}

  /**
   * One run's figures for a probe set; the API serves it as it is (the sweep apart, as the probe
   * set's latest tuning).
   */
  public record Point(
      long id,
      Long runId,
      Instant measuredAt,
      double recall,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      JsonNode settings,
      String indexDefinition,
      boolean planUsesIndex,
      Double starvedShare,
      boolean recallBreach,
      boolean latencyBreach,
      Long baselineId,
      String note,
      @JsonIgnore JsonNode sweep,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rerank,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double targetRecall) {}

  public record Baseline(String reason, Instant pinnedAt, Point point) {}

  /** A point as the series API returns it, with its probe set. */
  public record SeriesRow(
      long probeSetId,
      String label,
      JsonNode spec,
      Instant createdAt,
      Instant retiredAt,
      Point point,
      boolean isBaseline,
      String baselineReason) {}

  private final Jdbc jdbc;
  private final ObjectMapper mapper;

  public RegressionStore(StateAccess state) {
    this.jdbc = state.jdbc();
    this.mapper = state.mapper();
  }

  public Optional<ProbeSet> liveProbeSet(String target, String index, String label) {
    return jdbc.queryOne(
        SqlFile.load("store/regression_probe_set_live"), this::probeSet, target, index, label);
  }

  @Override
  public List<String> queryVectors(String target, String index) {
    return liveProbeSet(target, index, ALL_ROWS)
        .map(set -> probes(set.id()).stream().map(Probe::vector).toList())
        .orElse(List.of());
  }

  public List<ProbeSet> liveProbeSets(String target) {
    return jdbc.query(
        SqlFile.load("store/regression_probe_sets_of_target"), this::probeSet, target);
  }

  public List<Probe> probes(long probeSetId) {
    return jdbc.query(
        SqlFile.load("store/regression_probes"),
        rs -> new Probe(rs.getString("vector"), rs.getString("source_tid")),
        probeSetId);
  }

  /**
   * Replaces the probe set in use for (target, index, label), if any, by a new one with these
   * probes.
   */
  public ProbeSet createProbeSet(
      String target,
      String index,
      String label,
      JsonNode spec,
      String table,
      String column,
      String columnType,
      String operator,
      Instant at,
      List<Probe> probes) {
    return jdbc.inTransaction(
        c -> {
          jdbc.update(
              c, SqlFile.load("store/regression_probe_set_retire"), at, target, index, label);
          long id =
              jdbc.query(
                      c,
                      SqlFile.load("store/regression_probe_set_insert"),
                      rs -> rs.getLong(1),
                      target,
                      index,
                      label,
                      Rows.toJson(mapper, spec),
                      table,
                      column,
                      columnType,
                      operator,
                      at)
                  .get(0);
          jdbc.update(
              c,
              SqlFile.load("store/regression_probe_insert"),
              id,
              probes.stream().map(Probe::vector).toArray(String[]::new),
              probes.stream().map(Probe::sourceTid).toArray(String[]::new));
          return new ProbeSet(
              id,
              target,
              index,
              label,
              mapper.valueToTree(spec),
              table,
              column,
              columnType,
              operator,
              at);
        });
  }

  public void retire(ProbeSet set, Instant at) {
    jdbc.update(
        SqlFile.load("store/regression_probe_set_retire"),
        at,
        set.target(),
        set.index(),
        set.label());
  }

  public Optional<GroundTruth> groundTruth(long probeSetId) {
    return jdbc.queryOne(
        SqlFile.load("store/regression_ground_truth"),
        rs ->
            new GroundTruth(
                Rows.instant(rs, "computed_at"),
                rs.getString("method"),
                rs.getLong("table_oid"),
                rs.getLong("table_changes"),
                rs.getLong("live_rows"),
                rs.getLong("rows_scanned"),
                rs.getLong("millis"),
                distances(rs.getString("distances"))),
        probeSetId);
  }

  public void saveGroundTruth(long probeSetId, GroundTruth g) {
    jdbc.update(
        SqlFile.load("store/regression_ground_truth_put"),
        probeSetId,
        g.computedAt(),
        g.method(),
        g.tableOid(),
        g.tableChanges(),
        g.liveRows(),
        g.rowsScanned(),
        g.millis(),
        Rows.toJson(mapper, g.distances()));
  }

  public long savePoint(long probeSetId, Point p) {
    return jdbc.query(
            SqlFile.load("store/regression_point_insert"),
            rs -> rs.getLong(1),
            probeSetId,
            p.runId(),
            p.measuredAt(),
            p.recall(),
            p.p50Ms(),
            p.p95Ms(),
            p.p99Ms(),
            Rows.toJson(mapper, p.settings()),
            p.indexDefinition(),
            p.planUsesIndex(),
            p.starvedShare(),
            p.recallBreach(),
            p.latencyBreach(),
            p.baselineId(),
            p.note(),
            p.sweep() == null ? null : Rows.toJson(mapper, p.sweep()),
            p.rerank() == null || p.rerank().isNull() ? null : Rows.toJson(mapper, p.rerank()),
            p.targetRecall())
        .get(0);
  }

  /** Newest first. */
  public List<Point> recentPoints(long probeSetId, int limit) {
    return jdbc.query(
        SqlFile.load("store/regression_points_recent"), this::point, probeSetId, limit);
  }

  public Optional<Baseline> baseline(long probeSetId) {
    return jdbc.queryOne(
        SqlFile.load("store/regression_baseline"),
        rs -> new Baseline(rs.getString("reason"), Rows.instant(rs, "pinned_at"), point(rs)),
        probeSetId);
  }

  public void pinBaseline(long probeSetId, long pointId, String reason, Instant at) {
    jdbc.update(SqlFile.load("store/regression_baseline_put"), probeSetId, pointId, reason, at);
  }

  public List<SeriesRow> series(String target, String index, Instant since, int limit) {
    return jdbc.query(
        SqlFile.load("store/regression_series"),
        rs ->
            new SeriesRow(
                rs.getLong("probe_set_id"),
                rs.getString("label"),
                Rows.json(mapper, rs, "spec"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "retired_at"),
                point(rs),
                rs.getBoolean("is_baseline"),
                rs.getString("baseline_reason")),
        target,
        index,
        since,
        limit);
  }

  @Override
  public List<Change> changesOfTarget(String target, Instant since, double step) {
    return jdbc.query(
        SqlFile.load("store/regression_recall_changes_of_target"),
        rs ->
            new Change(
                rs.getString("index_name"),
                rs.getString("label"),
                Rows.instant(rs, "measured_at"),
                Rows.longOrNull(rs, "run_id"),
                rs.getDouble("recall"),
                rs.getDouble("earlier_recall"),
                settings(rs.getString("settings"))),
        target,
        since,
        since,
        since,
        step);
  }

  private Map<String, String> settings(String json) {
    try {
      return mapper.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  @Override
  public List<Latest> latestOfTarget(String target) {
    return jdbc.query(
        SqlFile.load("store/regression_latest_of_target"),
        rs ->
            new Latest(
                rs.getString("index_name"),
                rs.getString("label"),
                Rows.intOrNull(rs, "k"),
                Rows.instant(rs, "measured_at"),
                rs.getDouble("recall"),
                rs.getDouble("p50_ms"),
                rs.getDouble("p95_ms"),
                rs.getDouble("p99_ms"),
                rs.getBoolean("plan_uses_index")),
        target);
  }

  private ProbeSet probeSet(ResultSet rs) throws SQLException {
    return new ProbeSet(
        rs.getLong("id"),
        rs.getString("target"),
        rs.getString("index_name"),
        rs.getString("label"),
        Rows.json(mapper, rs, "spec"),
        rs.getString("table_name"),
        rs.getString("column_expr"),
        rs.getString("column_type"),
        rs.getString("operator"),
        Rows.instant(rs, "created_at"));
  }

  private Point point(ResultSet rs) throws SQLException {
    return new Point(
        rs.getLong("id"),
        Rows.longOrNull(rs, "run_id"),
        Rows.instant(rs, "measured_at"),
        rs.getDouble("recall"),
        rs.getDouble("p50_ms"),
        rs.getDouble("p95_ms"),
        rs.getDouble("p99_ms"),
        Rows.json(mapper, rs, "settings"),
        rs.getString("index_definition"),
        rs.getBoolean("plan_uses_index"),
        Rows.doubleOrNull(rs, "starved_share"),
        rs.getBoolean("recall_breach"),
        rs.getBoolean("latency_breach"),
        Rows.longOrNull(rs, "baseline_id"),
        rs.getString("note"),
        rs.getString("sweep") == null ? null : Rows.json(mapper, rs, "sweep"),
        rs.getString("rerank") == null ? null : Rows.json(mapper, rs, "rerank"),
        Rows.doubleOrNull(rs, "target_recall"));
  }

  private double[][] distances(String json) throws SQLException {
    try {
      return mapper.readValue(json, double[][].class);
    } catch (IOException e) {
      throw new SQLException("regression_ground_truth.distances holds invalid JSON", e);
    }
  }
}
