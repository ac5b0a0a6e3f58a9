package io.pgvectorops.jobs.slowqueries;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.StatementSnapshots;
import io.pgvectorops.state.StatementSnapshots.Baseline;
import io.pgvectorops.state.StatementSnapshots.Entry;
import io.pgvectorops.state.StatementSnapshots.TableScans;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Slow statements judged on the interval since the previous run (pg_stat_statements deltas, kept in
 * the state schema), sequential scans on tables that have a vector index, long-running statements
 * and idle-in-transaction sessions holding locks on vector tables. A reset or a server restart
 * between runs starts a new baseline instead of comparing across it.
 */
public class SlowQueriesJob implements Job {
  static final FindingKind SLOW_QUERY =
      FindingKind.of("slow-query", Severity.warning, Severity.critical);
  static final FindingKind SLOW_VECTOR_QUERY =
      FindingKind.of("slow-vector-query", Severity.warning, Severity.critical);
  static final FindingKind VECTOR_TABLE_SEQ_SCAN =
      FindingKind.of("vector-table-seq-scan", Severity.warning, Severity.warning);
  static final FindingKind LONG_RUNNING_STATEMENT =
      FindingKind.of("long-running-statement", Severity.warning, Severity.warning);
  static final FindingKind IDLE_IN_TRANSACTION =
      FindingKind.of("idle-in-transaction", Severity.warning, Severity.warning);

  /** The SlowQueries kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named(
              "slow-queries",
              SlowQueriesParams.class,
              (d, p, s) -> new SlowQueriesJob(p, s.snapshots()))
          .needs(Needs.NOTHING.preloadedExtension("pg_stat_statements").role("pg_read_all_stats"))
          .raises(
              SharedFindings.EXTENSION_MISSING,
              SLOW_QUERY,
              SLOW_VECTOR_QUERY,
              VECTOR_TABLE_SEQ_SCAN,
              LONG_RUNNING_STATEMENT,
              IDLE_IN_TRANSACTION)
          .build();

  private final SlowQueriesParams p;
  private final StatementSnapshots snapshots;

  SlowQueriesJob(SlowQueriesParams params, StatementSnapshots snapshots) {
    this.p = params;
    this.snapshots = snapshots;
  }

  /** Counters summed over the users running the same statement during the interval. */
  private static final class Delta {
    long queryid;
    long calls;
    double totalMs;
    Double maxMs;
    long rows;
    long blocksRead;
    String query;
  }

  @Override
  public JobResult run(JobContext ctx) throws SQLException {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    String target = ctx.target().name();
    Instant now = ctx.clock().instant();
    Set<String> columns =
        new HashSet<>(
            jdbc.query(
                c, SqlFile.load("probes/pg_stat_statements_columns"), rs -> rs.getString(1)));
    record Server(Instant postmasterStart, boolean preloaded, boolean hasInfo) {}
    Server server =
        jdbc.query(
                c,
                SqlFile.load("probes/pg_stat_statements_baseline"),
                rs ->
                    new Server(
                        rs.getObject("postmaster_start", OffsetDateTime.class).toInstant(),
                        rs.getBoolean("preloaded"),
                        rs.getBoolean("has_info")))
            .get(0);
    if (columns.isEmpty() || !server.preloaded()) {
      return missingExtension(c, columns.isEmpty(), server.preloaded());
    }
    Instant statsReset = null;
    Long dealloc = null;
    if (server.hasInfo()) {
      record Info(Instant reset, long dealloc) {}
      Info info =
          jdbc.query(
                  c,
                  SqlFile.load("probes/pg_stat_statements_info"),
                  rs ->
                      new Info(
                          rs.getObject("stats_reset", OffsetDateTime.class).toInstant(),
                          rs.getLong("dealloc")))
              .get(0);
      statsReset = info.reset();
      dealloc = info.dealloc();
    }
    StatementColumns mapping = StatementColumns.from(columns);
    SqlFile template = SqlFile.load("probes/pg_stat_statements");
    List<Entry> entries =
        jdbc.query(
            c, new SqlFile(template.name(), mapping.apply(template.text())), SlowQueriesJob::entry);
    Map<String, Long> sizes = new LinkedHashMap<>();
    List<TableScans> scans =
        jdbc.query(
            c,
            SqlFile.load("probes/vector_table_scans"),
            rs -> {
              TableScans t =
                  new TableScans(
                      rs.getString("schema_name"),
                      rs.getString("table_name"),
                      rs.getLong("seq_scan"),
                      rs.getLong("idx_scan"));
              sizes.put(t.schema() + "\u0000" + t.table(), rs.getLong("table_bytes"));
              return t;
            });
    List<Finding> findings = new ArrayList<>();
    long longRunning = p.longRunning.toSeconds();
    jdbc.query(
        c,
        SqlFile.load("probes/long_running_sessions"),
        rs -> sessions(rs, findings),
        longRunning,
        longRunning);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("statements", entries.size());
    Baseline current = new Baseline(now, server.postmasterStart(), statsReset, dealloc);
    Baseline previous = snapshots.baseline(target).orElse(null);
    String newBaseline =
        previous == null
            ? "first run"
            : !previous.postmasterStart().equals(server.postmasterStart())
                ? "the server restarted"
                : !Objects.equals(previous.statsReset(), statsReset)
                    ? "pg_stat_statements was reset"
                    : null;
    if (newBaseline == null) {
      summary.put("intervalSeconds", Duration.between(previous.takenAt(), now).toSeconds());
      summary.put(
          "lossy", previous.dealloc() != null && dealloc != null && dealloc > previous.dealloc());
      List<Entry> before = snapshots.statements(target, previous.takenAt());
      Map<Long, Delta> deltas = deltas(before, entries, summary);
      if (summary.containsKey("baseline")) {
        newBaseline = (String) summary.get("baseline");
      } else {
        judge(deltas, findings, summary);
        seqScans(snapshots.scans(target, previous.takenAt()), scans, sizes, deltas, findings);
      }
    }
    if (newBaseline != null) {
      summary.put(
          "baseline",
          "new baseline: " + newBaseline + "; statements are judged from the next run on");
    }
    snapshots.save(target, current, entries, scans, now.minusMillis(p.retention.toMilliseconds()));
    return JobResult.succeeded(summary, findings);
  }

  private JobResult missingExtension(Connection c, boolean notInstalled, boolean preloaded)
      throws SQLException {
    String fix =
        (preloaded
                ? ""
                : "add pg_stat_statements to shared_preload_libraries in postgresql.conf"
                    + " (shared_preload_libraries = 'pg_stat_statements', appended to any libraries already listed) and restart"
                    + " PostgreSQL")
            + (!preloaded && notInstalled ? ", then " : "")
            + (notInstalled
                ? "run CREATE EXTENSION pg_stat_statements; in database " + c.getCatalog()
                : "");
    Finding f =
        Finding.warning(
            "pg_stat_statements",
            SharedFindings.EXTENSION_MISSING,
            "slow-queries cannot run: " + fix,
            Map.of("installed", !notInstalled, "preloaded", preloaded));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put(
        "skipped", "pg_stat_statements is not " + (notInstalled ? "installed" : "preloaded"));
    return new JobResult(RunStatus.skipped, summary, List.of(f), null, false);
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    OffsetDateTime since = rs.getObject("stats_since", OffsetDateTime.class);
    return new Entry(
        rs.getLong("userid"),
        rs.getLong("dbid"),
        rs.getLong("queryid"),
        rs.getBoolean("toplevel"),
        rs.getLong("calls"),
        rs.getDouble("total_ms"),
        (Double) rs.getObject("max_ms"),
        rs.getLong("rows"),
        rs.getLong("shared_blks_read"),
        since == null ? null : since.toInstant(),
        rs.getString("query"));
  }

  /**
   * Interval counters per queryid. An entry whose counters went down or whose stats_since changed
   * was reset or evicted since: it is skipped. When most entries went down (a reset on a server
   * without pg_stat_statements_info), the whole snapshot is a new baseline.
   */
  private static Map<Long, Delta> deltas(
      List<Entry> before, List<Entry> now, Map<String, Object> summary) {
    Map<String, Entry> previous = new LinkedHashMap<>();
    before.forEach(e -> previous.put(e.key(), e));
    Map<Long, Delta> out = new LinkedHashMap<>();
    int common = 0;
    int restarted = 0;
    for (Entry e : now) {
      Entry b = previous.get(e.key());
      long calls = e.calls();
      double total = e.totalMs();
      long rows = e.rows();
      long blocks = e.sharedBlksRead();
      if (b != null) {
        common++;
        if (e.calls() < b.calls() || !Objects.equals(e.statsSince(), b.statsSince())) {
          restarted++;
          continue;
        }
        calls -= b.calls();
        total -= b.totalMs();
        rows -= b.rows();
        blocks -= b.sharedBlksRead();
      }
      if (calls <= 0) {
        continue;
      }
      Delta d = out.computeIfAbsent(e.queryid(), k -> new Delta());
      d.queryid = e.queryid();
      d.calls += calls;
      d.totalMs += total;
      d.rows += rows;
      d.blocksRead += blocks;
      d.maxMs =
          e.maxMs() == null ? d.maxMs : d.maxMs == null ? e.maxMs() : Math.max(d.maxMs, e.maxMs());
      d.query = e.query();
    }
    summary.put("entriesRestarted", restarted);
    if (common > 0 && restarted * 2 > common) {
      summary.put("baseline", "most counters went down (a reset without pg_stat_statements_info)");
    }
    return out;
  }

  private void judge(Map<Long, Delta> deltas, List<Finding> findings, Map<String, Object> summary) {
    List<Finding> slow = new ArrayList<>();
    int vector = 0;
    for (Delta d : deltas.values()) {
      boolean isVector = VectorQueries.isVector(d.query);
      vector += isVector ? 1 : 0;
      double threshold = isVector ? p.vectorMeanMs : p.otherMeanMs;
      long minCalls = isVector ? p.vectorMinCalls : p.otherMinCalls;
      double mean = d.totalMs / d.calls;
      if (d.calls < minCalls || mean < threshold) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("queryid", d.queryid);
      m.put("calls", d.calls);
      m.put("meanMs", Math.round(mean * 10) / 10.0);
      m.put("totalMs", Math.round(d.totalMs));
      m.put("maxMsSinceReset", d.maxMs == null ? null : Math.round(d.maxMs * 10) / 10.0);
      m.put("rowsPerCall", Math.round(10.0 * d.rows / d.calls) / 10.0);
      m.put("sharedBlocksRead", d.blocksRead);
      m.put("query", abbreviate(d.query, 300));
      m.put("thresholdMs", threshold);
      slow.add(
          Finding.of(
              "query " + d.queryid,
              isVector ? SLOW_VECTOR_QUERY : SLOW_QUERY,
              mean >= threshold * p.criticalFactor
                  ? Finding.Severity.critical
                  : Finding.Severity.warning,
              (isVector ? "vector query" : "query")
                  + " took "
                  + Math.round(mean)
                  + " ms on average over "
                  + d.calls
                  + " calls in the interval (threshold "
                  + Math.round(threshold)
                  + " ms): "
                  + abbreviate(d.query, 120),
              m));
    }
    slow.sort(
        Comparator.comparingDouble(f -> -((Number) f.metrics().get("totalMs")).doubleValue()));
    findings.addAll(slow.subList(0, Math.min(slow.size(), p.maxFindings)));
    summary.put("statementsInInterval", deltas.size());
    summary.put("vectorStatementsInInterval", vector);
    summary.put("slowStatements", slow.size());
  }

  private void seqScans(
      List<TableScans> before,
      List<TableScans> now,
      Map<String, Long> sizes,
      Map<Long, Delta> deltas,
      List<Finding> findings) {
    Map<String, TableScans> previous = new LinkedHashMap<>();
    before.forEach(t -> previous.put(t.schema() + "\u0000" + t.table(), t));
    for (TableScans t : now) {
      String key = t.schema() + "\u0000" + t.table();
      TableScans b = previous.get(key);
      long size = sizes.getOrDefault(key, 0L);
      if (b == null
          || t.seqScan() < b.seqScan()
          || t.seqScan() == b.seqScan()
          || size < p.seqScanMinTableSize.toBytes()) {
        continue;
      }
      // the daemon's own statements (tagged) are not the application's searches
      List<Delta> likely =
          deltas.values().stream()
              .filter(d -> !d.query.startsWith("/* pgvector-ops:"))
              .filter(d -> VectorQueries.mentions(d.query, t.table()))
              .sorted(Comparator.comparingDouble(d -> -d.totalMs))
              .limit(3)
              .toList();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seqScans", t.seqScan() - b.seqScan());
      m.put("indexScans", t.idxScan() - b.idxScan());
      m.put("tableBytes", size);
      m.put(
          "likelyStatements",
          likely.stream()
              .map(
                  d ->
                      Map.of(
                          "queryid",
                          d.queryid,
                          "calls",
                          d.calls,
                          "query",
                          abbreviate(d.query, 200)))
              .toList());
      String table = ObjectNames.qualified(t.schema(), t.table());
      findings.add(
          Finding.warning(
              table,
              VECTOR_TABLE_SEQ_SCAN,
              "table "
                  + table
                  + " has a vector index but was"
                  + " read by "
                  + (t.seqScan() - b.seqScan())
                  + " sequential scan(s) in the interval: vector searches may"
                  + " not be using the index"
                  + (likely.isEmpty() ? "" : "; likely: " + abbreviate(likely.get(0).query, 120)),
              m));
    }
  }

  private static Object sessions(ResultSet rs, List<Finding> findings) throws SQLException {
    String state = rs.getString("state");
    String query = rs.getString("query");
    String tables = rs.getString("vector_tables");
    long seconds = rs.getLong("seconds");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", rs.getInt("pid"));
    m.put("user", rs.getString("usename"));
    m.put("seconds", seconds);
    m.put("query", abbreviate(query, 300));
    if ("active".equals(state)) {
      boolean vector = VectorQueries.isVector(query);
      m.put("vector", vector);
      m.put("waitEventType", rs.getString("wait_event_type"));
      findings.add(
          Finding.warning(
              "pid " + rs.getInt("pid"),
              LONG_RUNNING_STATEMENT,
              (vector ? "vector " : "")
                  + "statement running for "
                  + seconds
                  + " s (pid "
                  + rs.getInt("pid")
                  + "): "
                  + abbreviate(query, 120),
              m));
    } else if (tables != null) {
      m.put("vectorTables", tables);
      findings.add(
          Finding.warning(
              "pid " + rs.getInt("pid"),
              IDLE_IN_TRANSACTION,
              "session pid "
                  + rs.getInt("pid")
                  + " is idle in a transaction for "
                  + seconds
                  + " s holding locks on vector table(s) "
                  + tables
                  + ": it blocks VACUUM and REINDEX CONCURRENTLY of their indexes",
              m));
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
}
