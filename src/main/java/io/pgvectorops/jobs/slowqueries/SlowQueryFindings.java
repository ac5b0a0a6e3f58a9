package io.pgvectorops.jobs.slowqueries;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Metrics;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.TableScans;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slow-queries job's findings, worded: slow statements (vector searches apart from the rest),
 * sequential scans of tables that have a vector index with the statements that likely caused them,
 * long-running statements and sessions idle in a transaction on a vector table.
 */
final class SlowQueryFindings {
  private final SlowQueriesParams p;

  SlowQueryFindings(SlowQueriesParams p) {
    this.p = p;
  }

  /** A slow statement's finding object is this and its queryid. */
  static final String STATEMENT = "query ";

  /** A statement that probably caused a sequential scan, as a finding's figures show it. */
  public record LikelyStatement(long queryid, long calls, String query) {}

  /** A statement slower on average than its threshold, critical past criticalFactor times it. */
  private Finding slow(StatementDeltas.Delta d, boolean isVector, double mean, double threshold) {
    Metrics m =
        Metrics.of()
            .put("queryid", d.queryid)
            .put("calls", d.calls)
            .put("meanMs", Math.round(mean * 10) / 10.0)
            .put("totalMs", Math.round(d.totalMs))
            .put("maxMsSinceReset", d.maxMs == null ? null : Math.round(d.maxMs * 10) / 10.0)
            .put("rowsPerCall", Math.round(10.0 * d.rows / d.calls) / 10.0)
            .put("sharedBlocksRead", d.blocksRead)
            .put("query", abbreviate(d.query, 300))
            .put("thresholdMs", threshold);
    return Finding.of(
        STATEMENT + d.queryid,
        isVector ? SlowQueriesJob.SLOW_VECTOR_QUERY : SlowQueriesJob.SLOW_QUERY,
        mean >= threshold * p.criticalFactor ? Finding.Severity.critical : Finding.Severity.warning,
        (isVector ? "vector query" : "query")
            + " took "
            + Math.round(mean)
            + " ms on average over "
            + d.calls
            + " calls in the interval (threshold "
            + Math.round(threshold)
            + " ms): "
            + abbreviate(d.query, 120),
        m.asMap());
  }

  Judged statements(Map<Long, StatementDeltas.Delta> deltas, List<Finding> findings) {
    List<Finding> slow = new ArrayList<>();
    int vector = 0;
    for (StatementDeltas.Delta d : deltas.values()) {
      boolean isVector = VectorQueries.isVector(d.query);
      vector += isVector ? 1 : 0;
      double threshold = isVector ? p.vectorMeanMs : p.otherMeanMs;
      long minCalls = isVector ? p.vectorMinCalls : p.otherMinCalls;
      double mean = d.totalMs / d.calls;
      if (d.calls < minCalls || mean < threshold) {
        continue;
      }
      slow.add(slow(d, isVector, mean, threshold));
    }
    slow.sort(
        Comparator.comparingDouble(f -> -((Number) f.metrics().get("totalMs")).doubleValue()));
    findings.addAll(slow.subList(0, Math.min(slow.size(), p.maxFindings)));
    return new Judged(vector, slow.size());
  }

  record Judged(int vectorStatements, int slowStatements) {}

  /** The three statements that spent the most time on the table: likely its scans' cause. */
  private static List<StatementDeltas.Delta> likelyStatements(
      TableScans t, Map<Long, StatementDeltas.Delta> deltas) {
    // the daemon's own statements (tagged) are not the application's searches
    return deltas.values().stream()
        .filter(d -> !d.query.startsWith("/* pgvector-ops:"))
        .filter(d -> VectorQueries.mentions(d.query, t.table()))
        .sorted(Comparator.comparingDouble(d -> -d.totalMs))
        .limit(3)
        .toList();
  }

  void seqScans(
      List<TableScans> before,
      List<TableScans> now,
      Map<String, Long> sizes,
      Map<Long, StatementDeltas.Delta> deltas,
      List<Finding> findings) {
    Map<String, TableScans> previous = new LinkedHashMap<>();
    before.forEach(t -> previous.put(t.object(), t));
    for (TableScans t : now) {
      TableScans b = previous.get(t.object());
      long size = sizes.getOrDefault(t.object(), 0L);
      if (b == null
          || t.seqScan() < b.seqScan()
          || t.seqScan() == b.seqScan()
          || size < p.seqScanMinTableSize.toBytes()) {
        continue;
      }
      List<StatementDeltas.Delta> likely = likelyStatements(t, deltas);
      Metrics m =
          Metrics.of()
              .put("seqScans", t.seqScan() - b.seqScan())
              .put("indexScans", t.idxScan() - b.idxScan())
              .put("tableBytes", size)
              .put(
                  "likelyStatements",
                  likely.stream()
                      .map(d -> new LikelyStatement(d.queryid, d.calls, abbreviate(d.query, 200)))
                      .toList());
      String table = ObjectNames.qualified(t.schema(), t.table());
      findings.add(
          Finding.warning(
              table,
              SlowQueriesJob.VECTOR_TABLE_SEQ_SCAN,
              "table "
                  + table
                  + " has a vector index but was"
                  + " read by "
                  + (t.seqScan() - b.seqScan())
                  + " sequential scan(s) in the interval: vector searches may"
                  + " not be using the index"
                  + (likely.isEmpty() ? "" : "; likely: " + abbreviate(likely.get(0).query, 120)),
              m.asMap()));
    }
  }

  private static Finding longRunning(
      int pid, boolean vector, long seconds, String query, Metrics m) {
    return Finding.warning(
        "pid " + pid,
        SlowQueriesJob.LONG_RUNNING_STATEMENT,
        (vector ? "vector " : "")
            + "statement running for "
            + seconds
            + " s (pid "
            + pid
            + "): "
            + abbreviate(query, 120),
        m.asMap());
  }

  static Object sessions(ResultSet rs, List<Finding> findings) throws SQLException {
    String state = rs.getString("state");
    String query = rs.getString("query");
    String tables = rs.getString("vector_tables");
    long seconds = rs.getLong("seconds");
    Metrics m =
        Metrics.of()
            .put("pid", rs.getInt("pid"))
            .put("user", rs.getString("usename"))
            .put("seconds", seconds)
            .put("query", abbreviate(query, 300));
    if ("active".equals(state)) {
      boolean vector = VectorQueries.isVector(query);
      m.put("vector", vector).put("waitEventType", rs.getString("wait_event_type"));
      findings.add(longRunning(rs.getInt("pid"), vector, seconds, query, m));
    } else if (tables != null) {
      m.put("vectorTables", tables);
      findings.add(
          Finding.warning(
              "pid " + rs.getInt("pid"),
              SlowQueriesJob.IDLE_IN_TRANSACTION,
              "session pid "
                  + rs.getInt("pid")
                  + " is idle in a transaction for "
                  + seconds
                  + " s holding locks on vector table(s) "
                  + tables
                  + ": it blocks VACUUM and REINDEX CONCURRENTLY of their indexes",
              m.asMap()));
    }
    return null;
  }

  private static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  /** The queryid of a slow statement's finding object ("query 123"), or null. */
  static Long queryid(String object) {
    try {
      return object.startsWith(STATEMENT)
          ? Long.parseLong(object.substring(STATEMENT.length()))
          : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
