package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.jobs.quantization.TrialSummary.ShapeResult;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trial that writes: under the per-database trial lock, the scratch schema (a killed run's
 * dropped first), the sample, the query vectors and their exact neighbours, then each shape built
 * and measured; the schema is dropped at the end whatever happened.
 */
final class TrialRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrialRun.class);

  /** What a long trial is doing, for GET /api/runs/{id} while it runs. */
  record Progress(String phase, String shape) implements JobSummary {}

  private final TrialParams p;
  private final Optional<RecallReadings> recall;
  private final TrialIndex index;
  private final List<Shape> shapes;
  private final DdlSession.Settings settings;
  private final TrialSummary planned;

  TrialRun(
      TrialParams p,
      Optional<RecallReadings> recall,
      TrialIndex index,
      List<Shape> shapes,
      DdlSession.Settings settings,
      TrialSummary planned) {
    this.p = p;
    this.recall = recall;
    this.index = index;
    this.shapes = shapes;
    this.settings = settings;
    this.planned = planned;
  }

  JobResult run(Sites sites, int rows) {
    JobContext ctx = sites.scratch();
    if (!ScratchSchema.lock(ctx, true)) {
      return JobResult.skipped("another quantization-trial is running on this database");
    }
    boolean created = false;
    try {
      ctx.progress().accept(new Progress("copying the sample", null));
      boolean leftover = ScratchSchema.dropLeftover(ctx, settings);
      ScratchSchema.create(ctx, settings);
      created = true;
      return trial(sites, rows, leftover);
    } catch (ScratchSchema.NotOurs | IllegalArgumentException e) {
      return JobResult.failed(e.getMessage(), planned, List.of());
    } finally {
      if (created) {
        dropQuietly(ctx);
      }
      unlockQuietly(ctx);
    }
  }

  private JobResult trial(Sites sites, int rows, boolean leftover) {
    JobContext ctx = sites.scratch();
    copySample(sites, rows);
    Size sample = sampleSize(ctx);
    if (sample.rows() == 0) {
      return JobResult.skipped(index.object() + "'s table has no rows with a vector to sample");
    }
    ctx.progress().accept(new Progress("exact neighbours of the query vectors", null));
    Probes probes = Probes.choose(sites, p, recall, index);
    double[][] exact = ShapeTrial.exact(ctx, p, index, probes.vectors());
    List<ShapeResult> results = new ArrayList<>();
    boolean stopped = false;
    for (Shape shape : shapes) {
      if (ctx.stopRequested().getAsBoolean()) {
        stopped = true;
        break;
      }
      ctx.progress().accept(new Progress("building and measuring", shape.label));
      results.add(tryShape(ctx, shape, sample.rows(), probes, exact));
    }
    TrialSummary summary =
        planned.measured(
            sample.rows(),
            sample.bytes(),
            probes.vectors().size(),
            probes.source(),
            leftover,
            results,
            results.isEmpty() || results.get(0).error() != null
                ? "none: the current shape could not be measured"
                : Estimates.recommendation(results, p.targetRecall));
    return stopped
        ? JobResult.partial(summary, List.of())
        : JobResult.succeeded(summary, List.of());
  }

  /** The sample as copied: rows and bytes. */
  private record Size(int rows, long bytes) {}

  private static Size sampleSize(JobContext ctx) {
    return ctx.target()
        .jdbc()
        .query(
            ctx.connection(),
            SqlFile.load("quantization/trial_sample_size").with("sample", ScratchSchema.sample()),
            rs -> new Size(rs.getInt("rows"), rs.getLong("bytes")),
            ScratchSchema.sample())
        .get(0);
  }

  /** On one server in one statement; to a lab target through COPY from the job's target. */
  private void copySample(Sites sites, int rows) {
    if (!sites.lab()) {
      ScratchSchema.run(sites.scratch(), settings, sampleCopy("ddl/create_trial_sample", rows));
      return;
    }
    ScratchSchema.run(
        sites.scratch(),
        settings,
        SqlFile.load("ddl/create_trial_sample_table")
            .fill(Map.of("sample", ScratchSchema.sample(), "type", index.castType())));
    LabCopy.copy(
        sites,
        p,
        sampleCopy("quantization/trial_sample_rows_to_copy", rows),
        ScratchSchema.sample());
  }

  private SqlFile sampleCopy(String file, int rows) {
    double tableRows = index.tableRows();
    // SYSTEM samples whole pages: ask for a quarter more than needed, LIMIT keeps the count
    double percent =
        tableRows <= 0 ? 100 : Math.min(100, Math.max(0.0001, 125.0 * rows / tableRows));
    return SqlFile.load(file)
        .fill(
            Map.of(
                "sample", ScratchSchema.sample(),
                "table", index.quotedTable(),
                "column", index.column(),
                "type", index.castType(),
                "percent", String.format(Locale.ROOT, "%.6f", percent),
                "rows", String.valueOf(rows)));
  }

  /** One shape built and measured; a shape that fails is a row with its error, not a failed run. */
  private ShapeResult tryShape(
      JobContext ctx, Shape shape, int sampleRows, Probes probes, double[][] exact) {
    ShapeTrial trial = new ShapeTrial(p, index, shape);
    String definition = shape.definition(index);
    try {
      ShapeTrial.Built built = trial.build(ctx, settings);
      ShapeTrial.Measured m =
          trial.measure(ctx, built, probes.vectors(), exact, ctx.stopRequested());
      String query = shape.query(index, p.k, trial.candidates(m.efSearch()));
      return result(shape, definition, query, built, m, sampleRows);
    } catch (DbException | ShapeTrial.NotUsed e) {
      if (e instanceof DbException d && d.isConnectionFailure()) {
        throw d; // the target went away: the run fails; the next run drops the schema
      }
      String detail = e instanceof DbException d ? d.detail() : e.getMessage();
      LOG.debug(
          "{} - {} of {} failed: {}", ctx.target().name(), shape.label, index.object(), detail);
      return ShapeResult.failed(
          shape.label, definition, shape.query(index, p.k, trial.candidates(1)), detail);
    }
  }

  private ShapeResult result(
      Shape shape,
      String definition,
      String query,
      ShapeTrial.Built built,
      ShapeTrial.Measured m,
      int sampleRows) {
    return new ShapeResult(
        shape.label,
        definition,
        query,
        built.bytes(),
        built.seconds(),
        built.graphFit(),
        m.efSearch(),
        m.recall(),
        round(m.latency().p50()),
        round(m.latency().p95()),
        m.recall() >= p.targetRecall,
        m.sweep(),
        Estimates.bytes(index, shape, built.bytes(), sampleRows),
        Estimates.buildSeconds(index, built.seconds(), sampleRows),
        Estimates.buildMemory(index, shape),
        shape == Shape.CURRENT ? index.facts().actualBytes() : null,
        null);
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  /** The lock ends with the session anyway: a session that broke must not hide the run's error. */
  private static void unlockQuietly(JobContext ctx) {
    try {
      ScratchSchema.lock(ctx, false);
    } catch (DbException e) {
      LOG.debug("{} - trial lock not released: {}", ctx.target().name(), e.detail());
    }
  }

  private void dropQuietly(JobContext ctx) {
    try {
      // nothing to build: the server's memory settings; a drop of our own tables is quick
      ScratchSchema.drop(
          ctx,
          new DdlSession.Settings(
              settings.lockTimeout(), java.time.Duration.ofMinutes(5), null, null));
    } catch (DbException e) {
      LOG.warn(
          "{} - the quantization-trial's scratch schema {} could not be dropped ({}); the next"
              + " run drops it",
          ctx.target().name(),
          ScratchSchema.NAME,
          e.detail());
    }
  }
}
