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
      Sites sites, TrialParams p, Optional<RecallReadings> recall, TrialIndex index) {
    JobContext ctx = sites.source();
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
    return outsideTheSample(sites, p, index);
  }

  private static Probes fromProbeSql(JobContext ctx, TrialParams p) {
    SqlFile sql = new SqlFile("quantization-trial probeSql", p.probeSql);
    return checked(new Probes(read(ctx, p, sql), "probeSql: the application's queries"), p);
  }

  private static Probes outsideTheSample(Sites sites, TrialParams p, TrialIndex index) {
    double percent = percentOfPages(p.probes, index.tableRows());
    Map<String, String> names =
        Map.of(
            "table", index.quotedTable(),
            "column", index.column(),
            "sample", ScratchSchema.sample());
    List<String> v =
        sites.lab()
            ? read(
                sites.source(),
                p,
                SqlFile.load("quantization/trial_probe_rows_not_copied").fill(names),
                percent,
                sampledRows(sites.scratch()),
                p.probes)
            : read(
                sites.source(),
                p,
                SqlFile.load("quantization/trial_probe_rows").fill(names),
                percent,
                p.probes);
    return v.isEmpty()
        ? ofTheSample(sites.scratch(), p)
        : new Probes(v, "rows of the table outside the sample");
  }

  /**
   * The TABLESAMPLE SYSTEM percentage that reads about 20 rows per probe wanted (the query keeps
   * those outside the sample), to six decimals, between 0.0001 and 100.
   */
  static double percentOfPages(int probes, double tableRows) {
    double share = Math.min(100, Math.max(0.0001, 2000.0 * probes / Math.max(1, tableRows)));
    return Math.round(share * 1e6) / 1e6;
  }

  /** The ctids on the job's target of the rows copied to the lab. */
  private static String[] sampledRows(JobContext lab) {
    SqlFile sql =
        SqlFile.load("quantization/trial_sample_source_rows")
            .with("sample", ScratchSchema.sample());
    return lab.target()
        .jdbc()
        .query(lab.connection(), sql, rs -> rs.getString(1))
        .toArray(String[]::new);
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
