package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.sql.SqlFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query vectors the shapes are measured with, best first: the application's own (probeSql), the
 * ones the regression job measures this index with, rows of the table outside the sample, or (when
 * the sample holds the whole table) rows of the sample.
 */
record Probes(List<String> vectors, String source) {
  static Probes choose(
      JobContext ctx, TrialParams p, Optional<RecallReadings> recall, TrialIndex index) {
    if (p.probeSql != null) {
      return fromProbeSql(ctx, p);
    }
    List<String> measured =
        recall.map(r -> r.queryVectors(ctx.target().name(), index.object())).orElse(List.of());
    if (!measured.isEmpty()) {
      return new Probes(
          measured.stream().limit(p.probes).toList(),
          "the regression job's query vectors for " + index.object());
    }
    return outsideTheSample(ctx, p, index);
  }

  private static Probes fromProbeSql(JobContext ctx, TrialParams p) {
    SqlFile sql = new SqlFile("quantization-trial probeSql", p.probeSql);
    return checked(new Probes(read(ctx, p, sql), "probeSql: the application's queries"), p);
  }

  private static Probes outsideTheSample(JobContext ctx, TrialParams p, TrialIndex index) {
    double rows = Math.max(1, index.tableRows());
    double percent = Math.min(100, Math.max(0.0001, 100.0 * p.probes * 20 / rows));
    SqlFile sql =
        SqlFile.load("quantization/trial_probe_rows")
            .fill(
                Map.of(
                    "table",
                    index.quotedTable(),
                    "column",
                    index.column(),
                    "sample",
                    ScratchSchema.sample()));
    List<String> v = read(ctx, p, sql, Math.round(percent * 1e6) / 1e6, p.probes);
    return v.isEmpty()
        ? ofTheSample(ctx, p)
        : new Probes(v, "rows of the table outside the sample");
  }

  private static Probes ofTheSample(JobContext ctx, TrialParams p) {
    SqlFile sql =
        SqlFile.load("quantization/trial_sample_rows").with("sample", ScratchSchema.sample());
    return checked(
        new Probes(
            read(ctx, p, sql, (long) p.probes, p.probes),
            "rows of the sample (it holds the whole table: each finds itself)"),
        p);
  }

  /** The first column of at most {@code probes} rows, in a read-only transaction. */
  private static List<String> read(JobContext ctx, TrialParams p, SqlFile sql, Object... params) {
    return ShapeTrial.readOnly(
        ctx,
        p,
        c -> ctx.target().jdbc().queryAtMost(c, sql, p.probes, rs -> rs.getString(1), params));
  }

  private static Probes checked(Probes probes, TrialParams p) {
    if (probes.vectors().isEmpty()) {
      throw new IllegalArgumentException(
          "no query vectors: " + probes.source() + " gave none (params.probes " + p.probes + ")");
    }
    return probes;
  }
}
