package io.pgvectorops.jobs.quantization;

import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.common.Text;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.FreeSpace;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import io.pgvectorops.targets.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What halfvec or binary quantization would do to one HNSW index, measured instead of guessed: a
 * sample of its table copied into a scratch schema of ours, the current shape and its alternatives
 * built there, and each measured for size, build time, recall@k against exact search and latency,
 * then extrapolated to the whole table. Opt-in (a job file names the index); it writes only in its
 * scratch schema, which it drops at the end, or the next run drops when a run was killed.
 */
public class QuantizationTrialJob implements Job {
  /** The quantization-trial kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "quantization-trial",
              TrialParams.class,
              (d, p, s) -> new QuantizationTrialJob(p, s.uses(RecallReadings.class), s::target))
          .uses(RecallReadings.class)
          .writes() // builds in its scratch schema: skips standbys, honours windows
          .needs(Needs.NOTHING.extension("vector").selectOnVectorTables())
          .raises(SharedFindings.INDEX_NOT_FOUND)
          .reports(TrialSummary.class)
          .build();

  /** pg_class's oid (fixed): its file is in the database's own tablespace. */
  private static final long PG_CLASS = 1259;

  /** Bytes per sampled row besides its vector: tuple header, id, source ctid. */
  private static final int ROW_OVERHEAD = 48;

  private final TrialParams p;
  private final Optional<RecallReadings> recall;
  private final Function<String, Optional<Target>> targets;

  QuantizationTrialJob(
      TrialParams params,
      Optional<RecallReadings> recall,
      Function<String, Optional<Target>> targets) {
    this.p = params;
    this.recall = recall;
    this.targets = targets;
  }

  @Override
  public JobResult run(JobContext ctx) {
    Optional<TrialIndex> found =
        VectorIndexes.read(
                ctx.target().jdbc(), ctx.connection(), VectorIndexes.PGVECTOR, TrialIndex::of)
            .stream()
            .filter(i -> i.object().equals(p.index))
            .findFirst();
    if (found.isEmpty()) {
      return JobResult.skipped(
          "no hnsw or ivfflat index " + p.index + " on this target", List.of(indexNotFound()));
    }
    TrialIndex index = found.get();
    String notTriable = index.notTriable();
    if (notTriable != null) {
      return JobResult.skipped(notTriable);
    }
    return p.labTarget == null || p.labTarget.equals(ctx.target().name())
        ? trial(Sites.one(ctx), index)
        : onLab(ctx, index);
  }

  private JobResult onLab(JobContext ctx, TrialIndex index) {
    Optional<Target> lab = targets.apply(p.labTarget);
    if (lab.isEmpty()) {
      return JobResult.failed(
          "params.labTarget names "
              + p.labTarget
              + ", which is no longer a target in force (a reload removed it?): nothing was done",
          List.of());
    }
    // a session of its own on the lab target: it holds the trial lock there for the whole trial
    return lab.get().jdbc().withConnection(c -> trial(new Sites(ctx, ctx.on(lab.get(), c)), index));
  }

  /** What the server the trial builds on lets it do. */
  private record Facts(boolean canCreate, long mwm, boolean inRecovery, String pgvector) {
    static Facts of(JobContext ctx) {
      return ctx.target()
          .jdbc()
          .query(
              ctx.connection(),
              SqlFile.load("quantization/trial_server_facts"),
              rs -> new Facts(rs.getBoolean(1), rs.getLong(2), rs.getBoolean(3), rs.getString(4)))
          .get(0);
    }
  }

  private JobResult trial(Sites sites, TrialIndex index) {
    JobContext ctx = sites.scratch();
    Facts facts = Facts.of(ctx);
    JobResult refused = refused(ctx, facts);
    if (refused != null) {
      return refused;
    }
    long mwm = p.maintenanceWorkMem != null ? p.maintenanceWorkMem.toBytes() : facts.mwm();
    int rows = plannedRows(index);
    HalfM halfM = HalfM.of(p, index, recall, sites.source().target().name());
    List<Shape> shapes = Shape.of(index, halfM.tried());
    long need = neededBytes(index, shapes, rows);
    // the scratch tables go where the database keeps its own, as pg_class's file does
    long where = sites.lab() ? PG_CLASS : index.facts().oid();
    FreeSpace.Seen space = FreeSpace.of(ctx.target(), ctx.connection(), where);
    TrialSummary planned = plannedSummary(ctx, index, rows, mwm, space, need, shapes, halfM);
    if (space.known() && space.freeBytes() < 2 * need) {
      return JobResult.skipped(
          "the trial needs about "
              + Text.size(need)
              + " in its scratch schema and "
              + space.path()
              + sites.onLab()
              + " has "
              + Text.size(space.freeBytes())
              + " free (it keeps twice what it needs free)");
    }
    if (!facts.canCreate()) {
      return JobResult.failed(
          "the role of "
              + ctx.target().name()
              + " may not create a schema in its database: GRANT CREATE ON DATABASE to it, or name"
              + " a lab target where it may (params.labTarget)",
          planned,
          List.of());
    }
    return ctx.dryRun()
        ? JobResult.succeeded(planned, List.of())
        : new TrialRun(p, recall, index, shapes, settings(), planned).run(sites, rows);
  }

  /** Why the server the trial builds on (a lab target: the job's own is checked before) cannot. */
  private static JobResult refused(JobContext ctx, Facts facts) {
    if (facts.inRecovery()) {
      return JobResult.skipped(
          "the lab target "
              + ctx.target().name()
              + " is a standby: the trial builds nothing there");
    }
    if (facts.pgvector() == null) {
      return JobResult.failed(
          "the lab target "
              + ctx.target().name()
              + " has no vector extension in its database: CREATE EXTENSION vector there first",
          List.of());
    }
    return null;
  }

  private DdlSession.Settings settings() {
    return new DdlSession.Settings(
        Duration.ofMillis(p.lockTimeout.toMilliseconds()),
        Duration.ofMillis(p.statementTimeout.toMilliseconds()),
        p.maintenanceWorkMem == null ? null : p.maintenanceWorkMem.toBytes(),
        p.parallelWorkers);
  }

  /** Rows to copy: sampleRows, fewer when sampleBytes or the table says so. */
  int plannedRows(TrialIndex index) {
    long byBytes = p.sampleBytes.toBytes() / rowBytes(index);
    long rows = Math.min(p.sampleRows, byBytes);
    if (index.tableRows() > 0) {
      rows = Math.min(rows, (long) Math.ceil(index.tableRows()));
    }
    return (int) Math.max(1, rows);
  }

  private static long rowBytes(TrialIndex index) {
    long value =
        (long)
            Math.ceil(
                io.pgvectorops.catalog.VectorIndexSizeModel.varsizeOf(
                    index.facts().type(), index.facts().dims(), index.facts().avgWidth()));
    return Math.max(1, value) + ROW_OVERHEAD;
  }

  /** The scratch schema's bytes at most: the sample and each shape's index on it. */
  private static long neededBytes(TrialIndex index, List<Shape> shapes, int rows) {
    long indexes =
        shapes.stream().mapToLong(s -> Math.max(0, s.modelled(index, rows).expectedBytes())).sum();
    return rows * rowBytes(index) + indexes;
  }

  private TrialSummary plannedSummary(
      JobContext ctx,
      TrialIndex index,
      int rows,
      long mwm,
      FreeSpace.Seen space,
      long need,
      List<Shape> shapes,
      HalfM halfM) {
    return new TrialSummary(
        ctx.dryRun(),
        index.object(),
        index.facts().schema() + "." + index.facts().table(),
        Math.round(index.tableRows()),
        rows,
        null,
        ScratchSchema.NAME,
        ctx.target().name(),
        need,
        space.known()
            ? Text.size(space.freeBytes()) + " free in " + space.path()
            : "unknown: " + space.unknownBecause(),
        p.probes,
        null,
        p.k,
        p.targetRecall,
        mwm,
        shapes.stream().map(s -> s.label).toList(),
        halfM.why(),
        null,
        null,
        null);
  }

  private Finding indexNotFound() {
    return Finding.warning(
        p.index,
        SharedFindings.INDEX_NOT_FOUND,
        "the quantization-trial job names "
            + p.index
            + " in params.index, but the target has no hnsw or ivfflat index of that name"
            + " (schema.index): nothing was tried",
        Map.of("index", p.index));
  }
}
