package io.pgvectorops.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public class RunStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunStore.class);

  private final Jdbc jdbc;
  private final ObjectMapper mapper;

  public RunStore(Jdbc jdbc, ObjectMapper mapper) {
    this.jdbc = jdbc;
    this.mapper = mapper;
  }

  public long start(
      String job,
      String kind,
      String target,
      String trigger,
      boolean dryRun,
      Instant scheduledFor,
      Instant startedAt,
      Liveness owner) {
    return jdbc.query(
            SqlFile.load("store/run_start"),
            rs -> rs.getLong(1),
            job,
            kind,
            target,
            trigger,
            dryRun,
            scheduledFor,
            startedAt,
            owner.instanceId(),
            owner.ownerKey())
        .get(0);
  }

  public void finish(long id, String status, Instant endedAt, Object summary, String error) {
    jdbc.update(
        SqlFile.load("store/run_finish"), status, endedAt, Rows.toJson(mapper, summary), error, id);
  }

  /**
   * Best effort: progress is informative, so a state database hiccup never fails the run.
   *
   * @param summary a kind's summary record, stored as JSON
   */
  public void progress(long id, Object progress) {
    try {
      jdbc.update(SqlFile.load("store/run_progress"), Rows.toJson(mapper, progress), id);
    } catch (DbException e) {
      // the next report will try again
      LOG.debug("run {} - progress not recorded: {}", id, e.getMessage());
    }
  }

  public Optional<RunRecord> get(long id) {
    return jdbc.queryOne(SqlFile.load("store/run_by_id"), this::row, id);
  }

  /** The run of the job on the target that is running now, if any. */
  public Optional<RunRecord> running(String job, String target) {
    return jdbc.queryOne(SqlFile.load("store/run_running_of_job_target"), this::row, job, target);
  }

  public List<RunRecord> ofJob(String job, int limit) {
    return jdbc.query(SqlFile.load("store/runs_of_job"), this::row, job, limit);
  }

  /** A run on a target whose summary's server or pgvector version differs from the run before. */
  public record VersionChange(
      long runId,
      Instant at,
      String server,
      String pgvector,
      String earlierServer,
      String earlierPgvector) {}

  /** The version changes on a target since a time, newest first (from runs that report them). */
  public List<VersionChange> versionChanges(String target, Instant since) {
    return jdbc.query(
        SqlFile.load("store/runs_version_changes_of_target"),
        rs ->
            new VersionChange(
                rs.getLong("id"),
                Rows.instant(rs, "started_at"),
                rs.getString("server"),
                rs.getString("pgvector"),
                rs.getString("earlier_server"),
                rs.getString("earlier_pgvector")),
        target,
        target,
        since,
        since,
        since);
  }

  public List<RunRecord> latestPerJob() {
    return jdbc.query(SqlFile.load("store/runs_latest_per_job"), this::row);
  }

  /**
   * @return how many runs of dead processes were marked interrupted
   */
  public int interruptOrphaned(Instant now) {
    return jdbc.query(
            SqlFile.load("store/runs_interrupt_orphaned"),
            rs -> rs.getLong(1),
            now,
            Liveness.LOCK_CLASS)
        .size();
  }

  /** Rows deleted by one {@link #prune}. */
  public record Pruned(long runs, long findings) {}

  /**
   * Deletes runs started and findings resolved before {@code before}, in batches so no statement
   * holds its locks long; see sql/store/runs_prune.sql for what is always kept.
   */
  public Pruned prune(Instant before, int batch, List<String> keptKinds) {
    long findings = 0;
    for (int n = batch; n == batch; findings += n) {
      n = jdbc.update(SqlFile.load("store/findings_prune_resolved"), before, batch);
    }
    long runs = 0;
    for (int n = batch; n == batch; runs += n) {
      n =
          jdbc.update(
              SqlFile.load("store/runs_prune"), before, keptKinds.toArray(String[]::new), batch);
    }
    return new Pruned(runs, findings);
  }

  private RunRecord row(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getLong("id"),
        rs.getString("job"),
        rs.getString("kind"),
        rs.getString("target"),
        rs.getString("trigger"),
        rs.getBoolean("dry_run"),
        Rows.instant(rs, "scheduled_for"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "ended_at"),
        rs.getString("status"),
        Rows.json(mapper, rs, "summary"),
        rs.getString("error"),
        rs.getString("instance_id"),
        Rows.json(mapper, rs, "progress"));
  }

  /** The latest ended run of a job on a target. */
  public record LastEnded(String job, String kind, String target, Instant endedAt, String status) {}

  public List<LastEnded> lastEndedPerJobAndTarget() {
    return jdbc.query(
        SqlFile.load("store/runs_latest_ended_per_job_target"),
        rs ->
            new LastEnded(
                rs.getString("job"),
                rs.getString("kind"),
                rs.getString("target"),
                Rows.instant(rs, "ended_at"),
                rs.getString("status")));
  }
}
