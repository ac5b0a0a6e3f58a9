package io.pgvectorops.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class FindingStore implements OpenFindings {
  private final Jdbc jdbc;
  private final ObjectMapper mapper;

  public FindingStore(Jdbc jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = mapper;
  }

  /**
   * Records what one run saw, in one transaction. Only a complete run (one that looked at
   * everything it is responsible for) resolves the open findings it did not see again.
   */
  /** Refreshes the open finding of this (job, target, object, kind), or opens it. */
  private void upsert(
      Connection c, SqlFile upsert, String job, String target, long runId, Instant now, Finding f) {
    String metrics = Rows.toJson(mapper, f.metrics());
    jdbc.update(
        c,
        upsert,
        f.severity().name(),
        f.message(),
        metrics,
        now,
        runId,
        job,
        target,
        f.object(),
        f.kind(),
        job,
        target,
        f.object(),
        f.kind(),
        f.severity().name(),
        f.message(),
        metrics,
        now,
        now,
        runId,
        runId,
        runId,
        runId);
  }

  public void record(
      String job,
      String target,
      long runId,
      Instant now,
      List<Finding> findings,
      boolean complete) {
    SqlFile upsert = SqlFile.load("store/finding_upsert");
    SqlFile resolve = SqlFile.load("store/finding_resolve_unseen");
    jdbc.inTransaction(
        c -> {
          for (Finding f : findings) {
            upsert(c, upsert, job, target, runId, now, f);
          }
          if (complete) {
            String[] objects = findings.stream().map(Finding::object).toArray(String[]::new);
            String[] kinds = findings.stream().map(Finding::kind).toArray(String[]::new);
            jdbc.update(c, resolve, now, job, target, objects, kinds);
          }
          return null;
        });
  }

  public List<FindingRecord> list(boolean open, String target, String job, int limit) {
    return jdbc.query(
        SqlFile.load("store/findings_list"), this::row, open, target, target, job, job, limit);
  }

  /** Findings of a target opened or resolved since a time, newest change first. */
  public List<FindingRecord> changedOn(String target, Instant since, int limit) {
    return jdbc.query(
        SqlFile.load("store/findings_changed_of_target"), this::row, target, since, since, limit);
  }

  public List<FindingRecord> openOfKind(String kind) {
    return jdbc.query(SqlFile.load("store/findings_open_of_kind"), this::row, kind);
  }

  /**
   * Of one target only: a job's read of what another job saw, which must not grow with the fleet.
   */
  @Override
  public List<FindingRecord> openOfKind(String kind, String target) {
    return jdbc.query(SqlFile.load("store/findings_open_of_kind_on"), this::row, kind, target);
  }

  public List<FindingRecord> ofRun(long runId) {
    return jdbc.query(SqlFile.load("store/findings_of_run"), this::row, runId);
  }

  public Map<String, Long> openCountsBySeverity() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Finding.Severity s : Finding.Severity.values()) {
      counts.put(s.name(), 0L);
    }
    jdbc.query(
        SqlFile.load("store/findings_open_counts"),
        rs -> counts.put(rs.getString(1), rs.getLong(2)));
    return counts;
  }

  private FindingRecord row(ResultSet rs) throws SQLException {
    return new FindingRecord(
        rs.getLong("id"),
        rs.getString("job"),
        rs.getString("target"),
        rs.getString("object"),
        rs.getString("kind"),
        rs.getString("severity"),
        rs.getString("message"),
        Rows.json(mapper, rs, "metrics"),
        Rows.instant(rs, "first_seen"),
        Rows.instant(rs, "last_seen"),
        Rows.instant(rs, "resolved_at"),
        Rows.longOrNull(rs, "first_run_id"),
        Rows.longOrNull(rs, "last_run_id"));
  }

  /** Open findings of one target, kind and severity. */
  public record OpenCount(String target, String kind, String severity, long count) {}

  public List<OpenCount> openCounts() {
    return jdbc.query(
        SqlFile.load("store/findings_open_by_kind"),
        rs ->
            new OpenCount(
                rs.getString("target"),
                rs.getString("kind"),
                rs.getString("severity"),
                rs.getLong("n")));
  }
}
