package io.pgvectorops.jobs.rebuild;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import io.pgvectorops.targets.Target;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The statements of one rebuild, each on a session of its own under the job's timeouts: REINDEX
 * CONCURRENTLY (or IVFFlat's re-list), the VACUUM after, and the drops of what a failed build left.
 */
final class RebuildSteps {
  private final RebuildParams p;

  /** Advisories of the installed pgvector that rule out the VACUUM after an HNSW rebuild. */
  private final List<Advisory> vacuumDefects;

  /** The recall the regression kind measured, when it is installed: a rebuild reports it. */
  private final Optional<RecallReadings> recall;

  RebuildSteps(RebuildParams p, List<Advisory> vacuumDefects, Optional<RecallReadings> recall) {
    this.p = p;
    this.vacuumDefects = vacuumDefects;
    this.recall = recall;
  }

  /** The settings of the short sessions that drop leftovers (nothing to build: server defaults). */
  private static final RebuildPlanner.Settings DROP_SETTINGS =
      new RebuildPlanner.Settings(64L * 1048576, 0);

  /** The settings a build ran with and what the server said meanwhile. */
  private record Built(RebuildPlanner.Settings used, List<String> notices) {}

  /**
   * VACUUM of an HNSW index's table right after its rebuild, unless the job says not to or the
   * installed pgvector's vacuum is known to be wrong; its seconds, or null when not run.
   */
  private Double vacuumAfter(JobContext ctx, IndexFacts i, RebuildPlanner.Settings settings) {
    if (!i.method().equals("hnsw") || !p.vacuumAfter || !vacuumDefects.isEmpty()) {
      return null;
    }
    // pgvector: vacuuming a churned HNSW graph is slow; after the rebuild it is quick
    Instant v = ctx.clock().instant();
    withSession(
        ctx,
        new RebuildPlanner.Settings(settings.maintenanceWorkMemBytes(), 0),
        i.object(),
        SqlFile.load("ddl/vacuum_analyze_table")
            .with("table", quote(i.schema()) + "." + quote(i.table())));
    return Duration.between(v, ctx.clock().instant()).toMillis() / 1000.0;
  }

  private List<Rebuilt.RecallSeen> recallBefore(String target, String index) {
    return recall.stream()
        .flatMap(r -> r.latestOfTarget(target).stream())
        .filter(l -> l.index().equals(index))
        .map(l -> new Rebuilt.RecallSeen(l.label(), l.recall(), l.p95Ms(), l.measuredAt()))
        .toList();
  }

  Rebuilt rebuild(JobContext ctx, RebuildPlanner.Candidate cand) {
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
    Double vacuumSeconds = vacuumAfter(ctx, i, settings);
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
        recallBefore(target.name(), name),
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

  void dropConcurrently(Target target, String schema, String name) {
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
  String cleanUp(Target target, Jdbc jdbc, Connection c, long tableOid) {
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

  static long sizeOf(Target target, String qualified) {
    return target
        .jdbc()
        .query(SqlFile.load("probes/relation_size"), rs -> rs.getLong(1), qualified)
        .get(0);
  }
}
