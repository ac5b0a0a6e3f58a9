package io.pgvectorops.jobs.rebuild;

import static io.pgvectorops.sql.Identifiers.quote;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import io.pgvectorops.targets.Target;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

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
              (d, p, s) -> new RebuildJob(d, p, s.uses(RecallReadings.class), s.advisories()))
          .uses(RecallReadings.class)
          .writes() // runs DDL: skips standbys, honours windows
          .needs(Needs.NOTHING.extension("vector").maintainVectorIndexes())
          .raises(SharedFindings.INDEX_NOT_FOUND, REBUILD_FAILED)
          .build();

  /** Advisory lock class for one index's rebuild ("pgvi"), taken on top of the job's run lock. */
  static final int INDEX_LOCK_CLASS = 0x70677669;

  /** The settings of the short sessions that drop leftovers (nothing to build: server defaults). */
  private static final RebuildPlanner.Settings DROP_SETTINGS =
      new RebuildPlanner.Settings(64L * 1048576, 0);

  private final JobDefinition job;
  private final RebuildParams p;

  /** The recall the regression kind measured, when it is installed: a rebuild reports it. */
  private final Optional<RecallReadings> recall;

  private final Advisories advisories;

  /** Set per run from the installed pgvector: advisories the run works around. */
  private List<Advisory> parallelBuildDefects = List.of();

  private List<Advisory> vacuumDefects = List.of();

  RebuildJob(
      JobDefinition job,
      RebuildParams params,
      Optional<RecallReadings> recall,
      Advisories advisories) {
    this.recall = recall;
    this.advisories = advisories;
    this.job = job;
    this.p = params;
  }

  /**
   * What a rebuild run planned and did. The figures after {@code freeSpace} are absent in a dry
   * run, which changes nothing.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RebuildSummary(
      boolean dryRun,
      List<RebuildPlanner.Chosen> candidates,
      List<RebuildPlanner.Deferred> notNow,
      List<String> leftovers,
      List<String> notFound,
      String freeSpace,
      List<String> precautions,
      List<String> droppedLeftovers,
      List<Rebuilt> rebuilt,
      List<RebuildPlanner.Deferred> postponed,
      Long walBytes,
      String replicasBefore,
      String replicasAfter)
      implements JobSummary {
    RebuildSummary done(
        List<String> dropped,
        List<Rebuilt> rebuilt,
        List<RebuildPlanner.Deferred> postponed,
        long walBytes,
        String replicasBefore,
        String replicasAfter) {
      return new RebuildSummary(
          dryRun,
          candidates,
          notNow,
          leftovers,
          notFound,
          freeSpace,
          precautions,
          dropped,
          rebuilt,
          postponed,
          walBytes,
          replicasBefore,
          replicasAfter);
    }
  }

  /**
   * One index rebuilt, or the error that left the original in place.
   *
   * @param notices what the server said during the build (pgvector's "hnsw graph no longer fits
   *     into maintenance_work_mem after N tuples"), absent when nothing
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rebuilt(
      String index,
      String reason,
      RebuildPlanner.SettingsUsed settings,
      Long sizeBefore,
      Long sizeAfter,
      Double seconds,
      List<String> notices,
      List<RecallSeen> recallBefore,
      String recallAfter,
      Double vacuumSeconds,
      String error) {
    static Rebuilt failed(String index, String error) {
      return new Rebuilt(index, null, null, null, null, null, null, null, null, null, error);
    }
  }

  /** The latest recall the regression job measured for the index before its rebuild. */
  public record RecallSeen(String label, double recall, double p95Ms, Instant measuredAt) {}

  private record Leftover(String schema, String name, long tableOid) {
    String object() {
      return ObjectNames.qualified(schema, name);
    }
  }

  private record Replication(String walLsn, String replicas) {}

  /** The settings a build ran with and what the server said meanwhile. */
  private record Built(RebuildPlanner.Settings used, List<String> notices) {}

  @Override
  public JobResult run(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    PgvectorVersions pgvector = pgvectorVersions(jdbc, c);
    parallelBuildDefects = advisories.affecting(pgvector, Advisories.Affects.PARALLEL_HNSW_BUILD);
    vacuumDefects =
        p.vacuumAfter ? advisories.affecting(pgvector, Advisories.Affects.HNSW_VACUUM) : List.of();
    RebuildPlanner.ServerFacts server = serverFacts(jdbc, c, !parallelBuildDefects.isEmpty());
    List<IndexFacts> indexes =
        VectorIndexes.read(jdbc, c, VectorIndexes.PGVECTOR, IndexFacts::from);
    List<Leftover> leftovers = leftovers(jdbc, c);
    // a leftover is not a candidate: it goes, and its original is judged on its own
    List<String> leftoverNames = leftovers.stream().map(Leftover::object).toList();
    RebuildPlanner.Plan plan =
        RebuildPlanner.plan(
            indexes.stream().filter(i -> !leftoverNames.contains(i.object())).toList(), p, server);
    // a name in the job file that matches no vector index is a typo or a dropped index: say so
    List<String> notFound =
        p.indexes.stream()
            .filter(n -> indexes.stream().noneMatch(i -> i.object().equals(n)))
            .toList();
    List<Finding> findings =
        new ArrayList<>(notFound.stream().map(RebuildJob::indexNotFound).toList());
    RebuildSummary planned =
        planned(
            ctx.dryRun(),
            plan,
            leftoverNames,
            notFound,
            freeSpace(ctx, plan, server),
            precautions(pgvector, plan));
    if (ctx.dryRun()) {
      return JobResult.succeeded(planned, findings);
    }
    for (Leftover l : leftovers) {
      dropConcurrently(ctx.target(), l.schema(), l.name());
    }
    Replication before = replication(jdbc, c);
    List<Rebuilt> rebuilt = new ArrayList<>();
    List<RebuildPlanner.Deferred> postponed = new ArrayList<>();
    for (RebuildPlanner.Candidate cand : plan.chosen()) {
      rebuildOne(ctx, cand, rebuilt, postponed, findings);
      if (ctx.stopRequested().getAsBoolean()) {
        break;
      }
    }
    long wal =
        jdbc.query(c, SqlFile.load("probes/wal_bytes_since"), rs -> rs.getLong(1), before.walLsn())
            .get(0);
    return ended(
        planned.done(
            leftoverNames,
            rebuilt,
            postponed,
            wal,
            before.replicas(),
            replication(jdbc, c).replicas()),
        findings);
  }

  /** A rebuild that failed fails the run, naming the index and why (the others' results stay). */
  private static JobResult ended(RebuildSummary done, List<Finding> findings) {
    List<String> failed =
        done.rebuilt().stream()
            .filter(r -> r.error() != null)
            .map(r -> r.index() + ": " + r.error())
            .toList();
    return failed.isEmpty()
        ? JobResult.succeeded(done, findings)
        : JobResult.failed("rebuild failed: " + String.join("; ", failed), done, findings);
  }

  private static RebuildSummary planned(
      boolean dryRun,
      RebuildPlanner.Plan plan,
      List<String> leftovers,
      List<String> notFound,
      String freeSpace,
      List<String> precautions) {
    return new RebuildSummary(
        dryRun,
        plan.chosen().stream().map(RebuildPlanner.Candidate::describe).toList(),
        plan.notNow(),
        leftovers,
        notFound,
        freeSpace,
        precautions,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * The free space a rebuild has, as far as it can be known (FreeSpace): read where the first
   * candidate's files are, and checked again before each rebuild.
   */
  private static String freeSpace(
      JobContext ctx, RebuildPlanner.Plan plan, RebuildPlanner.ServerFacts server) {
    String need = "each rebuild needs about its index's size again until it finishes";
    if (plan.chosen().isEmpty()) {
      return need;
    }
    FreeSpace.Seen seen =
        FreeSpace.of(ctx.target(), ctx.connection(), plan.chosen().get(0).index().oid());
    return seen.known()
        ? mb(seen.freeBytes())
            + " MB free in "
            + seen.path()
            + ", checked again before each rebuild: "
            + need
        : "unknown, since "
            + seen.unknownBecause()
            + ": "
            + need
            + " (database is "
            + mb(server.databaseBytes())
            + " MB)";
  }

  private static long mb(long bytes) {
    return bytes / 1048576;
  }

  /** Why the new copy cannot be built now for lack of disk, read just before; else null. */
  private static String doesNotFit(JobContext ctx, RebuildPlanner.Candidate cand) {
    FreeSpace.Seen space = FreeSpace.of(ctx.target(), ctx.connection(), cand.index().oid());
    long need = spaceNeeded(cand);
    if (!space.known() || space.freeBytes() >= need) {
      return null;
    }
    return "needs about "
        + mb(need)
        + " MB for its new copy until the swap, and "
        + mb(space.freeBytes())
        + " MB are free in "
        + space.path()
        + ": not started (free space, then the next run)";
  }

  /** About the size of the new copy: the model's for the index built now, else its size. */
  private static long spaceNeeded(RebuildPlanner.Candidate cand) {
    long expected = cand.index().expectedBytes();
    return (long) ((expected > 0 ? expected : cand.index().actualBytes()) * 1.1);
  }

  /**
   * What this run does differently because of the installed pgvector's known defects, and the
   * builds its memory cap makes slower.
   */
  private List<String> precautions(PgvectorVersions pgvector, RebuildPlanner.Plan plan) {
    List<String> out = new ArrayList<>();
    plan.chosen().stream()
        .map(cand -> cand.graphShortfall(p.maxMaintenanceWorkMem))
        .filter(Objects::nonNull)
        .forEach(out::add);
    parallelBuildDefects.forEach(
        a -> out.add("HNSW indexes are built without parallel workers: " + why(pgvector, a)));
    vacuumDefects.forEach(
        a ->
            out.add(
                "no VACUUM after an HNSW rebuild (vacuumAfter): "
                    + why(pgvector, a)
                    + "; autovacuum still vacuums the table on its own schedule"));
    return out;
  }

  /** "pgvector 0.8.0 has hnsw-vacuum-corruption (…; fixed in 0.8.3)" */
  private static String why(PgvectorVersions pgvector, Advisory a) {
    return "pgvector "
        + pgvector.of(a.scope())
        + " has "
        + a.id()
        + " ("
        + a.summary()
        + (a.fixedIn() == null ? "; not fixed yet" : "; fixed in " + a.fixedIn())
        + ")";
  }

  /** The SQL objects' and the installed library's versions: advisories follow the library. */
  static PgvectorVersions pgvectorVersions(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/pgvector_version"),
            rs -> new PgvectorVersions(rs.getString("version"), rs.getString("library")))
        .get(0);
  }

  private static RebuildPlanner.ServerFacts serverFacts(
      Jdbc jdbc, Connection c, boolean parallelHnswUnsafe) {
    return jdbc.query(
            c,
            SqlFile.load("probes/rebuild_server_facts"),
            rs ->
                new RebuildPlanner.ServerFacts(
                    rs.getInt("max_parallel_maintenance_workers"),
                    rs.getInt("max_worker_processes"),
                    rs.getInt("max_parallel_workers"),
                    rs.getLong("maintenance_work_mem_bytes"),
                    rs.getLong("database_bytes"),
                    parallelHnswUnsafe))
        .get(0);
  }

  /** Invalid vector indexes left by a failed REINDEX CONCURRENTLY, no build running on them. */
  private static List<Leftover> leftovers(Jdbc jdbc, Connection c) {
    return jdbc
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
        .filter(Objects::nonNull)
        .toList();
  }

  private static Finding indexNotFound(String name) {
    return Finding.warning(
        name,
        SharedFindings.INDEX_NOT_FOUND,
        "the index-rebuild job names "
            + name
            + " in params.indexes, but the target has no hnsw or ivfflat index of"
            + " that name (schema.index): nothing to rebuild",
        Map.of("index", name));
  }

  /**
   * One candidate under its own advisory lock: rebuilt, postponed, or failed with the original
   * index still valid (a finding, and its leftovers dropped).
   */
  private void rebuildOne(
      JobContext ctx,
      RebuildPlanner.Candidate cand,
      List<Rebuilt> rebuilt,
      List<RebuildPlanner.Deferred> postponed,
      List<Finding> findings) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    String index = cand.index().object();
    String why = postpone(ctx, jdbc, c, cand);
    if (why == null) {
      why = doesNotFit(ctx, cand);
    }
    if (why != null) {
      postponed.add(new RebuildPlanner.Deferred(index, why));
      return;
    }
    String lockName = "index:" + cand.index().oid();
    if (!jdbc.query(
            c,
            SqlFile.load("probes/run_lock_try"),
            rs -> rs.getBoolean(1),
            INDEX_LOCK_CLASS,
            lockName)
        .get(0)) {
      postponed.add(new RebuildPlanner.Deferred(index, "another session is rebuilding it"));
      return;
    }
    try {
      rebuilt.add(rebuild(ctx, cand));
    } catch (DbException e) {
      rebuilt.add(Rebuilt.failed(index, e.detail()));
      String leftoversLeft = cleanUp(ctx.target(), jdbc, c, cand.index().tableOid());
      findings.add(
          Finding.warning(
              index,
              REBUILD_FAILED,
              "rebuild of "
                  + index
                  + " failed ("
                  + e.detail()
                  + "); the original index is still valid and in use, and "
                  + (leftoversLeft == null
                      ? "leftovers were cleaned up"
                      : "its leftovers could not be dropped yet (" + leftoversLeft + ")")
                  + "; it is retried next run",
              Map.of("sqlState", String.valueOf(e.sqlState()))));
    } finally {
      jdbc.query(
          c,
          SqlFile.load("probes/run_lock_release"),
          rs -> rs.getBoolean(1),
          INDEX_LOCK_CLASS,
          lockName);
    }
  }

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

  private Rebuilt rebuild(JobContext ctx, RebuildPlanner.Candidate cand) {
    IndexFacts i = cand.index();
    Target target = ctx.target();
    String qualified = quote(i.schema()) + "." + quote(i.name());
    long before = sizeOf(target, qualified);
    Instant started = ctx.clock().instant();
    Built built =
        cand.newLists() == null
            ? withSession(
                ctx,
                cand.settings(),
                i.object(),
                SqlFile.load("ddl/reindex_index_concurrently").with("index", qualified))
            : relist(ctx, cand);
    RebuildPlanner.Settings settings = built.used();
    double seconds = Duration.between(started, ctx.clock().instant()).toMillis() / 1000.0;
    Double vacuumSeconds = null;
    if (i.method().equals("hnsw") && p.vacuumAfter && vacuumDefects.isEmpty()) {
      // pgvector: vacuuming a churned HNSW graph is slow; after the rebuild it is quick
      Instant v = ctx.clock().instant();
      withSession(
          ctx,
          new RebuildPlanner.Settings(settings.maintenanceWorkMemBytes(), 0),
          i.object(),
          SqlFile.load("ddl/vacuum_analyze_table")
              .with("table", quote(i.schema()) + "." + quote(i.table())));
      vacuumSeconds = Duration.between(v, ctx.clock().instant()).toMillis() / 1000.0;
    }
    // the regression job measures recall; the rebuild names its latest figures and where the next
    // ones appear
    String name = i.object();
    return new Rebuilt(
        name,
        cand.reason(),
        settings.describe(),
        before,
        sizeOf(target, qualified),
        seconds,
        built.notices().isEmpty() ? null : built.notices(),
        recall.stream()
            .flatMap(r -> r.latestOfTarget(target.name()).stream())
            .filter(l -> l.index().equals(name))
            .map(l -> new RecallSeen(l.label(), l.recall(), l.p95Ms(), l.measuredAt()))
            .toList(),
        "measured by the next regression run: GET /api/regression/" + target.name() + "/" + name,
        vacuumSeconds,
        null);
  }

  /**
   * IVFFlat with better lists: the option is changed on the catalogue's own index (never by editing
   * its definition's text), then REINDEX CONCURRENTLY builds it with the new lists and swaps it in;
   * a failed build puts the option back.
   */
  private Built relist(JobContext ctx, RebuildPlanner.Candidate cand) {
    IndexFacts i = cand.index();
    String qualified = quote(i.schema()) + "." + quote(i.name());
    setOption(
        ctx.target(),
        SqlFile.load("ddl/set_index_lists")
            .with("index", qualified)
            .with("lists", String.valueOf(cand.newLists())));
    try {
      return withSession(
          ctx,
          cand.settings(),
          i.object(),
          SqlFile.load("ddl/reindex_index_concurrently").with("index", qualified));
    } catch (DbException e) {
      try {
        // the option as the catalogue had it, read as a number (IndexFacts.option), or none
        setOption(
            ctx.target(),
            i.options().containsKey("lists")
                ? SqlFile.load("ddl/set_index_lists")
                    .with("index", qualified)
                    .with("lists", String.valueOf(i.option("lists", 100)))
                : SqlFile.load("ddl/reset_index_lists").with("index", qualified));
      } catch (DbException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
  }

  /** One ALTER INDEX in a short transaction under the job's lock_timeout. */
  private void setOption(Target target, SqlFile alter) {
    target
        .jdbc()
        .inTransaction(
            s -> {
              Jdbc jdbc = target.jdbc();
              jdbc.query(
                  s,
                  SqlFile.load("session/local_lock_timeout"),
                  rs -> rs.getString(1),
                  String.valueOf(p.lockTimeout.toMilliseconds()));
              jdbc.update(s, alter);
              return null;
            });
  }

  /**
   * Runs one statement on a session of its own with the rebuild settings, publishing the build's
   * progress meanwhile. A parallel build that cannot get its shared memory is retried serially.
   */
  private Built withSession(
      JobContext ctx, RebuildPlanner.Settings settings, String index, SqlFile ddl) {
    try {
      return new Built(
          settings,
          execute(ctx.target(), settings, ddl, pid -> BuildProgress.follow(ctx, index, pid)));
    } catch (DbException e) {
      if (settings.parallelWorkers() > 0 && "53100".equals(e.sqlState())) {
        RebuildPlanner.Settings serial =
            new RebuildPlanner.Settings(settings.maintenanceWorkMemBytes(), 0);
        // a failed parallel attempt may leave a _ccnew; the serial retry must not trip over it
        int dot = index.indexOf('.');
        dropAfterFailure(
            ctx.target(), index.substring(0, dot), index.substring(dot + 1) + "_ccnew", e);
        return new Built(
            serial,
            execute(ctx.target(), serial, ddl, pid -> BuildProgress.follow(ctx, index, pid)));
      }
      throw e;
    }
  }

  private List<String> execute(
      Target target,
      RebuildPlanner.Settings settings,
      SqlFile ddl,
      IntFunction<DdlSession.Watch> watch) {
    return DdlSession.run(
        target,
        new DdlSession.Settings(
            Duration.ofMillis(p.lockTimeout.toMilliseconds()),
            Duration.ofMillis(p.statementTimeout.toMilliseconds()),
            settings.maintenanceWorkMemBytes(),
            settings.parallelWorkers()),
        ddl,
        watch);
  }

  private void dropConcurrently(Target target, String schema, String name) {
    execute(
        target,
        DROP_SETTINGS,
        SqlFile.load("ddl/drop_index_concurrently")
            .with("index", quote(schema) + "." + quote(name)),
        pid -> DdlSession.Watch.NONE);
  }

  /**
   * Drops what a failed build left; a failure of the drop too is attached to the build's error (the
   * next run finds the leftover and drops it).
   */
  private void dropAfterFailure(Target target, String schema, String name, DbException cause) {
    try {
      dropConcurrently(target, schema, name);
    } catch (DbException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * After a failed REINDEX CONCURRENTLY: drops the invalid _ccnew/_ccold it left on that table.
   *
   * @return null when all are gone, else why not (the next run finds them as leftovers)
   */
  private String cleanUp(Target target, Jdbc jdbc, Connection c, long tableOid) {
    try {
      List<String[]> left =
          jdbc.query(
              c,
              SqlFile.load("probes/table_indexes_invalid_leftovers"),
              rs -> new String[] {rs.getString("schema_name"), rs.getString("index_name")},
              tableOid);
      for (String[] l : left) {
        dropConcurrently(target, l[0], l[1]);
      }
      return null;
    } catch (DbException e) {
      return e.detail();
    }
  }

  private static long sizeOf(Target target, String qualified) {
    return target
        .jdbc()
        .query(SqlFile.load("probes/relation_size"), rs -> rs.getLong(1), qualified)
        .get(0);
  }
}
