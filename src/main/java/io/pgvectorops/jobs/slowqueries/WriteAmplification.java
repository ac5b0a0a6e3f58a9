package io.pgvectorops.jobs.slowqueries;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.common.Text;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.Shown;
import io.pgvectorops.jobs.SummaryLayout.Unit;
import io.pgvectorops.jobs.slowqueries.StatementDeltas.Delta;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.WriteCost;
import io.pgvectorops.state.FindingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an application's INSERT or UPDATE on a table with a vector index costs per row written, in
 * shared buffers hit or read, against the lowest cost that statement has shown. Every row written
 * that is not a HOT update inserts into the vector index: pgvector #875 measured an UPDATE of a
 * non-vector column at 3.7M buffer hits with an HNSW index against 59k without, and #1025 sparsevec
 * HNSW inserts at 38 times their cost after autovacuum, which a REINDEX restored.
 */
final class WriteAmplification {
  static final FindingKind WRITE_AMPLIFICATION =
      new FindingKind(
          "write-amplification",
          Finding.Severity.warning,
          Finding.Severity.warning,
          "See whether the statement's updates stopped being HOT (pg_stat_user_tables.n_tup_hot_upd,"
              + " the table's fillfactor) and, if inserts grew costlier after heavy churn, REINDEX"
              + " INDEX CONCURRENTLY the table's vector indexes (the index-rebuild job).");

  /** One identifier as SQL writes it: "quoted" (with "" for a quote) or bare. */
  private static final String IDENTIFIER = "(\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)";

  /**
   * "INSERT INTO public.items" or "UPDATE "My Table"": the schema (group 2, optional) and table
   * (group 3) a write statement writes.
   */
  private static final Pattern WRITE =
      Pattern.compile(
          "^\\s*(insert\\s+into|update)\\s+(?:only\\s+)?(?:" + IDENTIFIER + "\\.)?" + IDENTIFIER,
          Pattern.CASE_INSENSITIVE);

  /** One write statement's cost in this interval, against its baseline. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Seen(
      @Shown(unit = Unit.text) long queryid,
      String table,
      long rows,
      double buffersPerRow,
      Double baselineBuffersPerRow,
      Double factor) {}

  private final SlowQueriesParams p;

  WriteAmplification(SlowQueriesParams p) {
    this.p = p;
  }

  /**
   * Judges the interval's write statements on vector tables; lowers their baselines in {@code
   * lowered} (to store) and adds a finding where the cost grew past writeAmplificationFactor.
   */
  List<Seen> judge(
      Map<Long, Delta> deltas,
      List<IndexFacts> vectorIndexes,
      Map<Long, WriteCost> baselines,
      Instant now,
      List<WriteCost> lowered,
      List<Finding> findings) {
    Map<String, List<IndexFacts>> byTable = new LinkedHashMap<>();
    vectorIndexes.forEach(
        i ->
            byTable
                .computeIfAbsent(
                    ObjectNames.qualified(i.schema(), i.table()), k -> new ArrayList<>())
                .add(i));
    List<Seen> out = new ArrayList<>();
    for (Delta d : deltas.values()) {
      String table = table(d.query, byTable);
      if (table == null || d.rows < p.writeMinRows) {
        continue;
      }
      double perRow = (double) d.blocksTouched / d.rows;
      WriteCost base = baselines.get(d.queryid);
      if (base == null || perRow < base.buffersPerRow()) {
        lowered.add(new WriteCost(d.queryid, table, perRow, d.rows, now));
      }
      Double factor =
          base == null || base.buffersPerRow() <= 0 ? null : perRow / base.buffersPerRow();
      out.add(
          new Seen(
              d.queryid,
              table,
              d.rows,
              round(perRow),
              base == null ? null : round(base.buffersPerRow()),
              factor == null ? null : round(factor)));
      if (factor != null && factor >= p.writeAmplificationFactor) {
        findings.add(finding(d, table, byTable.get(table), perRow, base, factor));
      }
    }
    return out;
  }

  /**
   * The objects of open write-amplification findings whose statement wrote too few rows in this
   * interval to be judged: kept open as they were (QuietFindings), not resolved by an idle
   * interval.
   */
  Set<String> unjudged(List<FindingRecord> open, Map<Long, Delta> deltas) {
    Set<String> out = new HashSet<>();
    for (FindingRecord r : open) {
      Delta d = r.metrics() == null ? null : deltas.get(r.metrics().path("queryid").asLong());
      if (d == null || d.rows < p.writeMinRows) {
        out.add(r.object());
      }
    }
    return out;
  }

  /** The vector table a statement writes, qualified; null for any other statement. */
  static String table(String query, Map<String, List<IndexFacts>> byTable) {
    Matcher m = query == null ? null : WRITE.matcher(query);
    if (m == null || !m.find()) {
      return null;
    }
    String schema = m.group(2) == null ? null : identifier(m.group(2));
    String table = identifier(m.group(3));
    for (Map.Entry<String, List<IndexFacts>> t : byTable.entrySet()) {
      IndexFacts i = t.getValue().get(0);
      if (i.table().equals(table) && (schema == null || i.schema().equals(schema))) {
        return t.getKey();
      }
    }
    return null;
  }

  /**
   * An identifier's name: a quoted one as written (its "" a quote), a bare one folded to lower
   * case.
   */
  private static String identifier(String written) {
    return written.startsWith("\"")
        ? written.substring(1, written.length() - 1).replace("\"\"", "\"")
        : written.toLowerCase(Locale.ROOT);
  }

  private Finding finding(
      Delta d,
      String table,
      List<IndexFacts> indexes,
      double perRow,
      WriteCost base,
      double factor) {
    String vector =
        String.join(", ", indexes.stream().map(i -> i.object() + " (" + i.method() + ")").toList());
    return Finding.warning(
        table + " [queryid " + d.queryid + "]",
        WRITE_AMPLIFICATION,
        "writes to "
            + table
            + " cost "
            + round(perRow)
            + " shared buffers per row in the last interval ("
            + d.rows
            + " rows), "
            + round(factor)
            + "x the lowest seen of this statement ("
            + round(base.buffersPerRow())
            + ", "
            + base.seenAt()
            + "): "
            + statement(d.query)
            + ". Each row written that is not a HOT update inserts into its vector indexes "
            + vector
            + "; pgvector #875: an UPDATE of a non-vector column cost 3.7M buffer hits with an"
            + " HNSW index against 59k without; #1025: HNSW inserts cost 38x more after autovacuum"
            + " until a REINDEX",
        Metrics.of()
            .put("queryid", d.queryid)
            .put("table", table)
            .put("rows", d.rows)
            .put("buffersPerRow", round(perRow))
            .put("baselineBuffersPerRow", round(base.buffersPerRow()))
            .put("factor", round(factor))
            .asMap());
  }

  /** The statement's first line, at most 300 characters. */
  private static String statement(String query) {
    String line = Text.firstLine(query);
    return line.length() <= 300 ? line : line.substring(0, 300) + " …";
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
