package io.pgvectorops.jobs.quantization;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import java.util.List;

/**
 * The schema the trial copies its sample into and builds its indexes in: created marked as ours,
 * dropped at the end of the run, and dropped by the next run when a killed one left it. A schema of
 * that name without the mark is somebody else's: the trial refuses to touch it.
 */
final class ScratchSchema {
  static final String NAME = "pgvector_ops_trial";

  /** The start of the comment create_trial_schema puts on it. */
  static final String MARK = "pgvector-ops quantization-trial scratch";

  /** Advisory lock class ("pgvq"): one trial per database, whichever job or daemon runs it. */
  static final int LOCK_CLASS = 0x70677671;

  private ScratchSchema() {}

  static String quoted() {
    return quote(NAME);
  }

  static String sample() {
    return quoted() + ".sample";
  }

  static String relation(String name) {
    return quoted() + "." + quote(name);
  }

  /** Thrown when the schema's name is taken by a schema the trial did not make. */
  static final class NotOurs extends RuntimeException {
    NotOurs(String mark) {
      super(
          "schema "
              + NAME
              + " exists and is not the trial's scratch schema (its comment is "
              + (mark == null ? "empty" : "'" + mark + "'")
              + "): nothing was done; rename or drop it to run the trial");
    }
  }

  /** Takes (or releases) the per-database trial lock on the run's session. */
  static boolean lock(JobContext ctx, boolean take) {
    return ctx.target()
        .jdbc()
        .query(
            ctx.connection(),
            SqlFile.load(take ? "probes/run_lock_try" : "probes/run_lock_release"),
            rs -> rs.getBoolean(1),
            LOCK_CLASS,
            "quantization-trial")
        .get(0);
  }

  /**
   * Drops what a killed run left (the caller holds the trial lock, so no run is using it).
   *
   * @return whether there was a leftover
   * @throws NotOurs when the schema exists without the trial's mark
   */
  static boolean dropLeftover(JobContext ctx, DdlSession.Settings settings) {
    List<String> marks =
        ctx.target()
            .jdbc()
            .query(
                ctx.connection(),
                SqlFile.load("quantization/trial_schema_mark"),
                rs -> rs.getString("mark"),
                NAME);
    if (marks.isEmpty()) {
      return false;
    }
    String mark = marks.get(0);
    if (mark == null || !mark.startsWith(MARK)) {
      throw new NotOurs(mark);
    }
    drop(ctx, settings);
    return true;
  }

  static void create(JobContext ctx, DdlSession.Settings settings) {
    run(ctx, settings, SqlFile.load("ddl/create_trial_schema").with("schema", quoted()));
  }

  static void drop(JobContext ctx, DdlSession.Settings settings) {
    run(ctx, settings, SqlFile.load("ddl/drop_trial_schema").with("schema", quoted()));
  }

  static List<String> run(JobContext ctx, DdlSession.Settings settings, SqlFile ddl) {
    return DdlSession.run(ctx.target(), settings, ddl, pid -> DdlSession.Watch.NONE);
  }
}
