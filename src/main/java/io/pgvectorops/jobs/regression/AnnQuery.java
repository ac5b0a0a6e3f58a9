package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The application's query, ORDER BY distance LIMIT k, for one probe set: prepared once and run for
 * each probe. A probe sampled from the table asks for one row more and leaves its own row out, so
 * it is always measured on k neighbours other than itself. The same statement with index scans
 * disabled is the exact search.
 */
final class AnnQuery implements AutoCloseable {
  /**
   * The distances of one answer (ascending, its own row left out, at most k) and how long it took.
   */
  record Answer(double[] distances, double millis) {}

  private final Jdbc.Prepared exactK;
  private final Jdbc.Prepared oneMore;
  private final int k;

  AnnQuery(Jdbc jdbc, Connection c, Template template, int k) {
    this(jdbc, c, k, extra -> template.sql("ann_query", k + extra));
  }

  /**
   * @param statement the statement for k plus a number of extra rows (0, or 1 for a probe sampled
   *     from the table, whose own row is left out)
   */
  AnnQuery(Jdbc jdbc, Connection c, int k, IntFunction<SqlFile> statement) {
    this.k = k;
    // planned at every execution: a cached generic plan would ignore a later SET LOCAL
    // enable_indexscan = off, and the "exact" search would quietly use the index
    this.exactK = jdbc.prepare(c, statement.apply(0), 0, 0);
    this.oneMore = jdbc.prepare(c, statement.apply(1), 0, 0);
  }

  /** Fills the templates of sql/regression with the probe set's quoted names. */
  record Template(
      String table, String column, String operator, String type, String filter, String send) {
    SqlFile sql(String name, int limit) {
      return sql(name, limit, Map.of());
    }

    /** The same queries ordered by another distance operator (qualified). */
    Template withOperator(String other) {
      return new Template(table, column, other, type, filter, send);
    }

    /** With more placeholders of a template that has them. */
    SqlFile sql(String name, int limit, Map<String, String> more) {
      // each template uses some of these
      Map<String, String> values =
          new HashMap<>(
              Map.of(
                  "table", table,
                  "column", column,
                  "operator", operator,
                  "type", type,
                  "filter", filter,
                  "send", send,
                  "limit", Integer.toString(limit)));
      values.putAll(more);
      return SqlFile.load("regression/" + name).fill(values);
    }
  }

  Answer run(Probe probe) {
    return run(probe, probe.vector(), probe.vector());
  }

  /** The answer to one probe, its statement run with these parameters. */
  Answer run(Probe probe, Object... params) {
    Jdbc.Prepared ps = probe.sourceTid() == null ? exactK : oneMore;
    double[] out = new double[k];
    int[] n = {0};
    long start = System.nanoTime();
    ps.forEach(
        rs -> {
          double d = rs.getDouble(2);
          // NULL vectors and zero vectors under cosine (NaN) sort last: never neighbours
          if (!rs.wasNull()
              && !Double.isNaN(d)
              && n[0] < k
              && !rs.getString(1).equals(probe.sourceTid())) {
            out[n[0]++] = d;
          }
          return null;
        },
        params);
    double millis = (System.nanoTime() - start) / 1e6;
    return new Answer(Arrays.copyOf(out, n[0]), millis);
  }

  @Override
  public void close() {
    try (exactK;
        oneMore) {
      // both closed
    }
  }
}
