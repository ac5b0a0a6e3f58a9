package io.pgvectorops.jobs.rebuild;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.target.Target;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds vector indexes with REINDEX INDEX CONCURRENTLY (never plain REINDEX), one at a time, on
 * a session of its own with settings chosen per index. Before anything: leftovers of an earlier
 * failed REINDEX CONCURRENTLY are dropped concurrently, and a rebuild is postponed while an old
 * transaction would make its waiting phases block. Any other invalid index is left alone unless the
 * job file names it. A failure leaves the original index valid and in use, and is a finding.
 */
public class RebuildJob implements Job {
  static final FindingKind REBUILD_FAILED =
      FindingKind.of("rebuild-failed", Severity.warning, Severity.warning);

  /** The Rebuild kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "index-rebuild",
              RebuildParams.class,
              (d, p, s) -> new RebuildJob(d, p, s.regression()))
          .writes() // runs DDL: skips standbys, honours windows
          .needs(Needs.NOTHING.extension("vector").maintainVectorIndexes())
          .raises(SharedFindings.INDEX_NOT_FOUND, REBUILD_FAILED)
          .build();

  /** Advisory lock class for one index's rebuild ("pgvi"), taken on top of the job's run lock. */
  static final int INDEX_LOCK_CLASS = 0x70677669;

  private static final Pattern DEFINITION_HEAD =
      Pattern.compile("^CREATE (UNIQUE )?INDEX (\"(?:[^\"]|\"\")*\"|\\S+) ON ");
  private static final Pattern LISTS = Pattern.compile("lists='?\\d+'?");

  private final JobDefinition job;
  private final RebuildParams p;

  private final io.pgvectorops.state.RegressionStore regression;

  RebuildJob(
      JobDefinition job, RebuildParams params, io.pgvectorops.state.RegressionStore regression) {
    this.regression = regression;
    this.job = job;
    this.p = params;
  }

  @Override
  public JobResult run(JobContext ctx) throws Exception {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    RebuildPlanner.ServerFacts server =
        jdbc.query(
                c,
                SqlFile.load("probes/rebuild_server_facts"),
                rs ->
                    new RebuildPlanner.ServerFacts(
                        rs.getInt("max_parallel_maintenance_workers"),
                        rs.getInt("max_worker_processes"),
                        rs.getInt("max_parallel_workers"),
                        rs.getLong("maintenance_work_mem_bytes"),
                        rs.getLong("database_bytes")))
            .get(0);
    List<IndexFacts> indexes =
        jdbc.query(c, SqlFile.load("probes/vector_index_layout"), IndexFacts::from);
    record Leftover(String schema, String name, long tableOid) {}
    List<Leftover> leftovers =
        jdbc
            .query(
                c,
                SqlFile.load("probes/invalid_indexes"),
                rs ->
                    rs.getBoolean("reindex_leftover")
                            && !rs.getBoolean("build_in_progress")
                            && List.of("hnsw", "ivfflat").contains(rs.getString("method"))
                        ? new Leftover(
                            rs.getString("schema_name"),
                            rs.getString("index_name"),
                            rs.getLong("table_oid"))
                        : null)
            .stream()
            .filter(java.util.Objects::nonNull)
            .toList();
    // a leftover is not a candidate: it goes, and its original is judged on its own
    List<String> leftoverNames =
        leftovers.stream().map(l -> ObjectNames.qualified(l.schema(), l.name())).toList();
    RebuildPlanner.Plan plan =
        RebuildPlanner.plan(
            indexes.stream().filter(i -> !leftoverNames.contains(i.object())).toList(), p, server);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("dryRun", ctx.dryRun());
    summary.put(
        "candidates", plan.chosen().stream().map(RebuildPlanner.Candidate::describe).toList());
    summary.put("notNow", plan.notNow());
    summary.put("leftovers", leftoverNames);
    // a name in the job file that matches no vector index is a typo or a dropped index: say so
    List<String> notFound =
        p.indexes.stream()
            .filter(n -> indexes.stream().noneMatch(i -> i.object().equals(n)))
            .toList();
    summary.put("notFound", notFound);
    List<Finding> findings =
        new ArrayList<>(
            notFound.stream()
                .map(
                    n ->
                        Finding.warning(
                            n,
                            SharedFindings.INDEX_NOT_FOUND,
                            "the index-rebuild job names "
                                + n
                                + " in params.indexes, but the target has no hnsw or ivfflat index of"
                                + " that name (schema.index): nothing to rebuild",
                            Map.of("index", n)))
                .toList());
    summary.put(
        "freeSpace",
        "unknown to a non-superuser: each rebuild needs about its index's size again until"
            + " it finishes (database is "
            + server.databaseBytes() / 1048576
            + " MB)");
    if (ctx.dryRun()) {
      return JobResult.succeeded(summary, findings);
    }

    List<String> dropped = new ArrayList<>();
    for (Leftover l : leftovers) {
      dropConcurrently(ctx.target(), l.schema(), l.name());
      dropped.add(ObjectNames.qualified(l.schema(), l.name()));
    }
    summary.put("droppedLeftovers", dropped);
    var replication = replication(jdbc, c);
    List<Map<String, Object>> rebuilt = new ArrayList<>();
    List<Map<String, Object>> postponed = new ArrayList<>();
    for (RebuildPlanner.Candidate cand : plan.chosen()) {
      String why = postpone(ctx, jdbc, c, cand);
      if (why != null) {
        postponed.add(Map.of("index", cand.index().object(), "reason", why));
        continue;
      }
      String lockName = "index:" + cand.index().oid();
      if (!jdbc.query(
              c,
              SqlFile.load("probes/run_lock_try"),
              rs -> rs.getBoolean(1),
              INDEX_LOCK_CLASS,
              lockName)
          .get(0)) {
        postponed.add(
            Map.of("index", cand.index().object(), "reason", "another session is rebuilding it"));
        continue;
      }
      try {
        rebuilt.add(rebuild(ctx, cand));
      } catch (DbException e) {
        rebuilt.add(Map.of("index", cand.index().object(), "error", e.detail()));
        findings.add(
            Finding.warning(
                cand.index().object(),
                REBUILD_FAILED,
                "rebuild of "
                    + cand.index().object()
                    + " failed ("
                    + e.detail()
                    + "); the original index is still valid and in use, and leftovers were"
                    + " cleaned up; it is retried next run",
                Map.of("sqlState", String.valueOf(e.sqlState()))));
        cleanUp(ctx.target(), jdbc, c, cand.index().tableOid());
      } finally {
        jdbc.query(
            c,
            SqlFile.load("probes/run_lock_release"),
            rs -> rs.getBoolean(1),
            INDEX_LOCK_CLASS,
            lockName);
      }
      if (ctx.stopRequested().getAsBoolean()) {
        break;
      }
    }
    summary.put("rebuilt", rebuilt);
    summary.put("postponed", postponed);
    summary.put(
        "walBytes",
        jdbc.query(
                c,
                SqlFile.load("probes/wal_bytes_since"),
                rs -> rs.getLong(1),
                replication.walLsn())
            .get(0));
    summary.put("replicasBefore", replication.replicas());
    summary.put("replicasAfter", replication(jdbc, c).replicas());
    return JobResult.succeeded(summary, findings);
  }

  private record Replication(String walLsn, String replicas) {}

  private static Replication replication(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/replication_state"),
            rs -> new Replication(rs.getString("wal_lsn"), rs.getString("replicas")))
        .get(0);
  }

  /** Why not now: an old transaction would block the waiting phases, or the window closes first. */
  private String postpone(JobContext ctx, Jdbc jdbc, Connection c, RebuildPlanner.Candidate cand) {
    Instant now = ctx.clock().instant();
    if (job.window() != null && job.window().contains(now)) {
      Instant end = job.window().endAfter(now);
      if (now.plusSeconds(cand.estimatedSeconds()).isAfter(end)) {
        return "estimated "
            + cand.estimatedSeconds()
            + " s would not end before the window closes at "
            + end;
      }
    }
    List<String> old =
        jdbc.query(
            c,
            SqlFile.load("probes/old_transactions"),
            rs ->
                "pid "
                    + rs.getInt("pid")
                    + " ("
                    + rs.getString("state")
                    + ", transaction open "
                    + rs.getLong("xact_seconds")
                    + " s)",
            p.oldTransaction.toSeconds());
    return old.isEmpty()
        ? null
        : "postponed: REINDEX CONCURRENTLY would wait for " + String.join(", ", old);
  }

  private Map<String, Object> rebuild(JobContext ctx, RebuildPlanner.Candidate cand)
      throws SQLException {
    IndexFacts i = cand.index();
    Target target = ctx.target();
    String qualified = quote(i.schema()) + "." + quote(i.name());
    long before = sizeOf(target, qualified);
    Instant started = ctx.clock().instant();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", i.object());
    out.put("reason", cand.reason());
    RebuildPlanner.Settings settings = cand.settings();
    try {
      if (cand.newLists() == null) {
        settings =
            withSession(ctx, settings, i.object(), "REINDEX INDEX CONCURRENTLY " + qualified);
      } else {
        relist(ctx, cand, settings);
      }
    } finally {
      out.put("settings", settings.describe());
    }
    out.put("sizeBefore", before);
    out.put("sizeAfter", sizeOf(target, qualified));
    out.put("seconds", Duration.between(started, ctx.clock().instant()).toMillis() / 1000.0);
    // the regression job measures recall; the rebuild names its latest figures and where the next
    // ones appear
    String targetName = ctx.target().name();
    String name = ObjectNames.qualified(i.schema(), i.name());
    out.put(
        "recallBefore",
        regression.latestOfTarget(targetName).stream()
            .filter(l -> l.index().equals(name))
            .map(
                l ->
                    Map.of(
                        "label",
                        l.label(),
                        "recall",
                        l.recall(),
                        "p95Ms",
                        l.p95Ms(),
                        "measuredAt",
                        l.measuredAt()))
            .toList());
    out.put(
        "recallAfter",
        "measured by the next regression run: GET /api/regression/" + targetName + "/" + name);
    if (i.method().equals("hnsw") && p.vacuumAfter) {
      // pgvector: vacuuming a churned HNSW graph is slow; after the rebuild it is quick
      Instant v = ctx.clock().instant();
      withSession(
          ctx,
          new RebuildPlanner.Settings(settings.maintenanceWorkMemBytes(), 0),
          i.object(),
          "VACUUM (ANALYZE) " + quote(i.schema()) + "." + quote(i.table()));
      out.put("vacuumSeconds", Duration.between(v, ctx.clock().instant()).toMillis() / 1000.0);
    }
    return out;
  }

  /**
   * IVFFlat with better lists: build beside it, swap the names in one short transaction, drop the
   * old.
   */
  private void relist(
      JobContext ctx, RebuildPlanner.Candidate cand, RebuildPlanner.Settings settings)
      throws SQLException {
    IndexFacts i = cand.index();
    Matcher head = DEFINITION_HEAD.matcher(i.definition());
    if (!head.find()) {
      throw new IllegalStateException("unexpected index definition: " + i.definition());
    }
    String base = i.name().length() > 50 ? i.name().substring(0, 50) : i.name();
    String fresh = base + "_pgvo_new";
    String retired = base + "_pgvo_old";
    String rest = i.definition().substring(head.end());
    String withLists =
        LISTS.matcher(rest).find()
            ? LISTS.matcher(rest).replaceFirst("lists='" + cand.newLists() + "'")
            : rest + " WITH (lists='" + cand.newLists() + "')";
    String create =
        "CREATE "
            + (head.group(1) == null ? "" : head.group(1))
            + "INDEX CONCURRENTLY "
            + quote(fresh)
            + " ON "
            + withLists;
    try {
      withSession(ctx, settings, i.object(), create);
    } catch (DbException e) {
      dropIfExists(ctx.target(), i.schema(), fresh);
      throw e;
    }
    String schema = quote(i.schema());
    try (Connection s = ctx.target().dataSource().getConnection();
        Statement st = s.createStatement()) {
      s.setAutoCommit(false);
      try {
        st.execute("SET LOCAL lock_timeout = " + p.lockTimeout.toMilliseconds());
        st.execute(
            "ALTER INDEX " + schema + "." + quote(i.name()) + " RENAME TO " + quote(retired));
        st.execute("ALTER INDEX " + schema + "." + quote(fresh) + " RENAME TO " + quote(i.name()));
        s.commit();
      } catch (SQLException e) {
        s.rollback();
        dropIfExists(ctx.target(), i.schema(), fresh);
        throw new DbException(ctx.target().jdbc().where(), "swap " + i.object(), e);
      } finally {
        s.setAutoCommit(true);
      }
    }
    dropConcurrently(ctx.target(), i.schema(), retired);
  }

  /**
   * Runs one statement on a session of its own with the rebuild settings, publishing the build's
   * progress meanwhile. A parallel build that cannot get its shared memory is retried serially. The
   * session is closed afterwards rather than returned to the pool with these settings.
   */
  private RebuildPlanner.Settings withSession(
      JobContext ctx, RebuildPlanner.Settings settings, String index, String sql) {
    Target target = ctx.target();
    try {
      execute(target, settings, index, sql, ctx);
      return settings;
    } catch (DbException e) {
      if (settings.parallelWorkers() > 0 && "53100".equals(e.sqlState())) {
        RebuildPlanner.Settings serial =
            new RebuildPlanner.Settings(settings.maintenanceWorkMemBytes(), 0);
        cleanUpByName(target, index);
        execute(target, serial, index, sql, ctx);
        return serial;
      }
      throw e;
    }
  }

  /**
   * @param progressTo the run to publish build progress to, or null
   */
  private void execute(
      Target target,
      RebuildPlanner.Settings settings,
      String index,
      String sql,
      JobContext progressTo) {
    Connection s = null;
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            io.pgvectorops.common.Threads.named("rebuild-progress"));
    try {
      s = target.dataSource().getConnection();
      s.setAutoCommit(true);
      int pid;
      try (Statement st = s.createStatement()) {
        st.execute("SET lock_timeout = " + p.lockTimeout.toMilliseconds());
        st.execute("SET statement_timeout = " + p.statementTimeout.toMilliseconds());
        st.execute(
            "SET maintenance_work_mem = '" + settings.maintenanceWorkMemBytes() / 1024 + "kB'");
        st.execute("SET max_parallel_maintenance_workers = " + settings.parallelWorkers());
        try (var rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          pid = rs.getInt(1);
        }
      }
      if (progressTo != null) {
        poller.scheduleWithFixedDelay(
            () -> publish(progressTo, index, pid), 200, 1000, TimeUnit.MILLISECONDS);
      }
      try (Statement st = s.createStatement()) {
        st.execute("/* pgvector-ops:index-rebuild */ " + sql);
      }
    } catch (SQLException e) {
      throw new DbException(
          target.jdbc().where(), sql.length() > 80 ? sql.substring(0, 80) + "…" : sql, e);
    } finally {
      poller.shutdownNow();
      if (s != null) {
        target.dataSource().evictConnection(s);
        try {
          s.close();
        } catch (SQLException ignored) {
          // already evicted
        }
      }
    }
  }

  private static void publish(JobContext ctx, String index, int pid) {
    try {
      ctx.target()
          .jdbc()
          .query(
              ctx.connection(),
              SqlFile.load("probes/index_build_progress"),
              rs -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", index);
                m.put("phase", rs.getString("phase"));
                long total = rs.getLong("blocks_total");
                m.put("blocksDone", rs.getLong("blocks_done"));
                m.put("blocksTotal", total);
                m.put("tuplesDone", rs.getLong("tuples_done"));
                m.put("tuplesTotal", rs.getLong("tuples_total"));
                m.put(
                    "percent",
                    total > 0
                        ? Math.round(1000.0 * rs.getLong("blocks_done") / total) / 10.0
                        : null);
                ctx.progress().accept(m);
                return null;
              },
              pid);
    } catch (RuntimeException e) {
      // progress is informative only
    }
  }

  private void dropConcurrently(Target target, String schema, String name) {
    execute(
        target,
        new RebuildPlanner.Settings(64L * 1048576, 0),
        ObjectNames.qualified(schema, name),
        "DROP INDEX CONCURRENTLY IF EXISTS " + quote(schema) + "." + quote(name),
        null);
  }

  private void dropIfExists(Target target, String schema, String name) {
    try {
      dropConcurrently(target, schema, name);
    } catch (DbException ignored) {
      // best effort: the next run drops leftovers
    }
  }

  /** After a failed REINDEX CONCURRENTLY: drop the invalid _ccnew/_ccold it left on that table. */
  private void cleanUp(Target target, Jdbc jdbc, Connection c, long tableOid) {
    try {
      jdbc.query(
          c,
          SqlFile.load("probes/table_indexes_invalid_leftovers"),
          rs -> {
            dropIfExists(target, rs.getString("schema_name"), rs.getString("index_name"));
            return null;
          },
          tableOid);
    } catch (DbException ignored) {
      // the next run finds them as leftovers
    }
  }

  private void cleanUpByName(Target target, String index) {
    // a failed parallel attempt may leave a _ccnew; the serial retry must not trip over it
    int dot = index.indexOf('.');
    dropIfExists(target, index.substring(0, dot), index.substring(dot + 1) + "_ccnew");
  }

  private static long sizeOf(Target target, String qualified) {
    return target
        .jdbc()
        .query(SqlFile.load("probes/relation_size"), rs -> rs.getLong(1), qualified)
        .get(0);
  }
}
