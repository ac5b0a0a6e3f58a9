package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.PgvectorVersions;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
              (d, p, s) ->
                  new RebuildJob(
                      p, s.uses(RecallReadings.class), s.advisories(), s.own(RebuildRecords.class)))
          .uses(RecallReadings.class)
          .keeps(RebuildRecords.class, RebuildRecords::new)
          .provides(RebuildHistory.class)
          .keepsRuns()
          .writes() // runs DDL: skips standbys, honours windows
          .needs(Needs.NOTHING.extension("vector").maintainVectorIndexes())
          .raises(SharedFindings.INDEX_NOT_FOUND, REBUILD_FAILED)
          .fixes(
              "index-bloat",
              "invalid-index",
              "reindex-leftover",
              "recall-regression",
              "recall-below-target",
              "plan-not-using-index",
              "rebuild-failed")
          .reports(RebuildSummary.class)
          .build();

  /** Advisory lock class for one index's rebuild ("pgvi"), taken on top of the job's run lock. */
  static final int INDEX_LOCK_CLASS = 0x70677669;

  private final RebuildParams p;
  private final Optional<RecallReadings> recall;
  private final Advisories advisories;
  private final RebuildRecords records;

  /** Set per run from the installed pgvector: advisories the run works around. */
  private List<Advisory> parallelBuildDefects = List.of();

  private List<Advisory> vacuumDefects = List.of();

  RebuildJob(
      RebuildParams params,
      Optional<RecallReadings> recall,
      Advisories advisories,
      RebuildRecords records) {
    this.recall = recall;
    this.records = records;
    this.advisories = advisories;
    this.p = params;
  }

  /** What the run found to do before doing any of it: a dry run's whole answer. */
  private record Planned(
      RebuildSummary summary,
      RebuildPlanner.Plan plan,
      List<RebuildReads.Leftover> leftovers,
      List<Finding> findings) {}

  @Override
  public JobResult run(JobContext ctx) {
    Planned planned = plan(ctx);
    if (ctx.dryRun()) {
      return JobResult.succeeded(planned.summary(), planned.findings());
    }
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    RebuildSteps steps = new RebuildSteps(p, vacuumDefects, recall);
    for (RebuildReads.Leftover l : planned.leftovers()) {
      steps.dropConcurrently(ctx.target(), l.schema(), l.name());
    }
    RebuildReads.Replication before = RebuildReads.replication(jdbc, c);
    List<Finding> findings = new ArrayList<>(planned.findings());
    List<Rebuilt> rebuilt = new ArrayList<>();
    List<RebuildPlanner.Deferred> postponed = new ArrayList<>();
    for (RebuildPlanner.Candidate cand : planned.plan().chosen()) {
      rebuildOne(ctx, steps, cand, rebuilt, postponed, findings);
      if (ctx.stopRequested().getAsBoolean()) {
        break;
      }
    }
    long wal =
        jdbc.query(c, SqlFile.load("probes/wal_bytes_since"), rs -> rs.getLong(1), before.walLsn())
            .get(0);
    return RebuildSummary.ended(
        planned
            .summary()
            .done(
                planned.summary().leftovers(),
                rebuilt,
                postponed,
                wal,
                before.replicas(),
                RebuildReads.replication(jdbc, c).replicas()),
        findings);
  }

  private Planned plan(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    PgvectorVersions pgvector = RebuildReads.pgvectorVersions(jdbc, c);
    parallelBuildDefects = advisories.affecting(pgvector, Advisories.Affects.PARALLEL_HNSW_BUILD);
    vacuumDefects =
        p.vacuumAfter ? advisories.affecting(pgvector, Advisories.Affects.HNSW_VACUUM) : List.of();
    RebuildPlanner.ServerFacts server =
        RebuildReads.serverFacts(jdbc, c, !parallelBuildDefects.isEmpty());
    List<IndexFacts> indexes =
        VectorIndexes.read(jdbc, c, VectorIndexes.PGVECTOR, IndexFacts::from);
    List<RebuildReads.Leftover> leftovers = RebuildReads.leftovers(jdbc, c);
    // a leftover is not a candidate: it goes, and its original is judged on its own
    List<String> leftoverNames = leftovers.stream().map(RebuildReads.Leftover::object).toList();
    RebuildPlanner.Plan plan =
        RebuildPlanner.plan(
            indexes.stream().filter(i -> !leftoverNames.contains(i.object())).toList(),
            p,
            server,
            RebuildReads.deadTuples(jdbc, c),
            records.rebuildsOf(ctx.target().name()));
    // a name in the job file that matches no vector index is a typo or a dropped index: say so
    List<String> notFound =
        p.indexes.stream()
            .filter(n -> indexes.stream().noneMatch(i -> i.object().equals(n)))
            .toList();
    RebuildSummary summary =
        RebuildSummary.planned(
            ctx.dryRun(),
            plan,
            leftoverNames,
            notFound,
            RebuildReads.freeSpace(ctx, plan, server),
            precautions(pgvector, plan));
    return new Planned(
        summary, plan, leftovers, notFound.stream().map(RebuildJob::indexNotFound).toList());
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
      RebuildSteps steps,
      RebuildPlanner.Candidate cand,
      List<Rebuilt> rebuilt,
      List<RebuildPlanner.Deferred> postponed,
      List<Finding> findings) {
    String index = cand.index().object();
    String why = RebuildReads.postpone(ctx, cand, p.oldTransaction.toSeconds());
    if (why == null) {
      why = RebuildReads.doesNotFit(ctx, cand);
    }
    if (why != null) {
      postponed.add(new RebuildPlanner.Deferred(index, why));
      return;
    }
    String lockName = "index:" + cand.index().oid();
    if (!indexLock(ctx, "probes/run_lock_try", lockName)) {
      postponed.add(new RebuildPlanner.Deferred(index, "another session is rebuilding it"));
      return;
    }
    try {
      rebuilt.add(steps.rebuild(ctx, cand));
    } catch (DbException e) {
      rebuilt.add(Rebuilt.failed(index, e.detail()));
      String leftoversLeft =
          steps.cleanUp(
              ctx.target(), ctx.target().jdbc(), ctx.connection(), cand.index().tableOid());
      findings.add(rebuildFailed(index, e, leftoversLeft));
    } finally {
      indexLock(ctx, "probes/run_lock_release", lockName);
    }
  }

  /** Takes or releases one index's lock on the run's session; whether that succeeded. */
  private static boolean indexLock(JobContext ctx, String statement, String lockName) {
    return ctx.target()
        .jdbc()
        .query(
            ctx.connection(),
            SqlFile.load(statement),
            rs -> rs.getBoolean(1),
            INDEX_LOCK_CLASS,
            lockName)
        .get(0);
  }

  private static Finding rebuildFailed(String index, DbException e, String leftoversLeft) {
    return Finding.warning(
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
        Map.of("sqlState", String.valueOf(e.sqlState())));
  }
}
