package io.pgvectorops.jobs.slowqueries;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.VectorIndexes;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.Baseline;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.Entry;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.TableScans;
import io.pgvectorops.jobs.slowqueries.StatementSnapshots.WriteCost;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.OpenFindings;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
              (d, p, s) -> new SlowQueriesJob(p, s.own(StatementSnapshots.class), s.findings()))
          .keeps(StatementSnapshots.class, a -> new StatementSnapshots(a.jdbc()))
          .needs(Needs.NOTHING.preloadedExtension("pg_stat_statements").role("pg_read_all_stats"))
          .raises(
              SharedFindings.EXTENSION_MISSING,
              SLOW_QUERY,
              SLOW_VECTOR_QUERY,
              VECTOR_TABLE_SEQ_SCAN,
              LONG_RUNNING_STATEMENT,
              IDLE_IN_TRANSACTION,
              WriteAmplification.WRITE_AMPLIFICATION)
          .reports(SlowQueriesSummary.class)
          .build();

  private final SlowQueriesParams p;
  private final SlowQueryFindings wording;
  private final WriteAmplification writes;
  private final StatementSnapshots snapshots;
  private final OpenFindings findingStore;

  SlowQueriesJob(
      SlowQueriesParams params, StatementSnapshots snapshots, OpenFindings findingStore) {
    this.p = params;
    this.wording = new SlowQueryFindings(params);
    this.writes = new WriteAmplification(params);
    this.snapshots = snapshots;
    this.findingStore = findingStore;
  }

  /**
   * What a slow-queries run compared. Interval figures are absent on a run that starts a new
   * baseline, which then says why.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SlowQueriesSummary(
      int statements,
      Long intervalSeconds,
      Boolean lossy,
      Integer entriesRestarted,
      Integer statementsInInterval,
      Integer vectorStatementsInInterval,
      Integer slowStatements,
      String baseline,
      List<WriteAmplification.Seen> writeCosts)
      implements JobSummary {}

  private record Server(
      Instant postmasterStart, boolean preloaded, boolean hasInfo, String database) {}

  /** pg_stat_statements_info (PostgreSQL 14+); both null where the server has no such view. */
  private record StatsInfo(Instant reset, Long dealloc) {}

  @Override
  public JobResult run(JobContext ctx) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    String target = ctx.target().name();
    Instant now = ctx.clock().instant();
    Set<String> columns =
        new HashSet<>(
            jdbc.query(
                c, SqlFile.load("probes/pg_stat_statements_columns"), rs -> rs.getString(1)));
    Server server = server(jdbc, c);
    if (columns.isEmpty() || !server.preloaded()) {
      return missingExtension(server.database(), columns.isEmpty(), server.preloaded());
    }
    StatsInfo info = server.hasInfo() ? statsInfo(jdbc, c) : new StatsInfo(null, null);
    List<Entry> entries = statements(jdbc, c, columns);
    Map<String, Long> sizes = new LinkedHashMap<>();
    List<TableScans> scans = tableScans(jdbc, c, sizes);
    List<Finding> findings = longRunning(jdbc, c);
    List<IndexFacts> vectorIndexes =
        VectorIndexes.read(jdbc, c, VectorIndexes.PGVECTOR, IndexFacts::from);
    Baseline current = new Baseline(now, server.postmasterStart(), info.reset(), info.dealloc());
    SlowQueriesSummary summary =
        compare(
            ctx.job().name(),
            target,
            current,
            entries,
            scans,
            sizes,
            vectorIndexes,
            snapshots.baseline(target),
            findings);
    snapshots.save(target, current, entries, scans, now.minusMillis(p.retention.toMilliseconds()));
    return JobResult.succeeded(summary, findings);
  }

  /** pg_stat_statements' entries, read with this server's names of its columns. */
  private static List<Entry> statements(Jdbc jdbc, Connection c, Set<String> columns) {
    SqlFile template = SqlFile.load("probes/pg_stat_statements");
    String text = StatementColumns.from(columns).apply(template.text());
    return jdbc.query(c, new SqlFile(template.name(), text), Entry::from);
  }

  /**
   * Findings of statements running too long and sessions idle in a transaction on vector tables.
   */
  private List<Finding> longRunning(Jdbc jdbc, Connection c) {
    List<Finding> findings = new ArrayList<>();
    long seconds = p.longRunning.toSeconds();
    jdbc.query(
        c,
        SqlFile.load("probes/long_running_sessions"),
        rs -> SlowQueryFindings.sessions(rs, findings),
        seconds,
        seconds);
    return findings;
  }

  private static Server server(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/pg_stat_statements_baseline"),
            rs ->
                new Server(
                    rs.getObject("postmaster_start", OffsetDateTime.class).toInstant(),
                    // a role that may not read the setting (NULL) reads the view anyway: without
                    // the library that fails in the server's own words, and health names the
                    // grant that would let the setting be read
                    !Boolean.FALSE.equals(rs.getObject("preloaded")),
                    rs.getBoolean("has_info"),
                    rs.getString("database")))
        .get(0);
  }

  /** Scan counters of the tables that have a vector index; their sizes go into {@code sizes}. */
  private static List<TableScans> tableScans(Jdbc jdbc, Connection c, Map<String, Long> sizes) {
    return jdbc.query(
        c,
        SqlFile.load("probes/vector_table_scans"),
        rs -> {
          TableScans t =
              new TableScans(
                  rs.getString("schema_name"),
                  rs.getString("table_name"),
                  rs.getLong("seq_scan"),
                  rs.getLong("idx_scan"));
          sizes.put(t.object(), rs.getLong("table_bytes"));
          return t;
        });
  }

  private static StatsInfo statsInfo(Jdbc jdbc, Connection c) {
    return jdbc.query(
            c,
            SqlFile.load("probes/pg_stat_statements_info"),
            rs ->
                new StatsInfo(
                    rs.getObject("stats_reset", OffsetDateTime.class).toInstant(),
                    rs.getLong("dealloc")))
        .get(0);
  }

  /** Judges the interval since the previous snapshot, or says why this run is a new baseline. */
  private SlowQueriesSummary compare(
      String job,
      String target,
      Baseline current,
      List<Entry> entries,
      List<TableScans> scans,
      Map<String, Long> sizes,
      List<IndexFacts> vectorIndexes,
      Optional<Baseline> previousSnapshot,
      List<Finding> findings) {
    Baseline previous = previousSnapshot.orElse(null);
    String newBaseline = whyNewBaseline(previous, current);
    if (newBaseline != null) {
      return baseline(entries.size(), null, null, null, newBaseline);
    }
    long interval = Duration.between(previous.takenAt(), current.takenAt()).toSeconds();
    boolean lossy =
        previous.dealloc() != null
            && current.dealloc() != null
            && current.dealloc() > previous.dealloc();
    StatementDeltas.Deltas deltas =
        StatementDeltas.of(snapshots.statements(target, previous.takenAt()), entries);
    if (deltas.mostRestarted()) {
      return baseline(
          entries.size(),
          interval,
          lossy,
          deltas.restarted(),
          "most counters went down (a reset without pg_stat_statements_info)");
    }
    SlowQueryFindings.Judged judged = wording.statements(deltas.byQuery(), findings);
    List<WriteAmplification.Seen> writeCosts =
        writeCosts(target, deltas, vectorIndexes, current.takenAt(), findings);
    List<TableScans> before = snapshots.scans(target, previous.takenAt());
    wording.seqScans(before, scans, sizes, deltas.byQuery(), findings);
    findings.addAll(
        quiet(job, target, current.takenAt(), findings, deltas.byQuery(), unread(before, scans)));
    return new SlowQueriesSummary(
        entries.size(),
        interval,
        lossy,
        deltas.restarted(),
        deltas.byQuery().size(),
        judged.vectorStatements(),
        judged.slowStatements(),
        null,
        writeCosts);
  }

  /** The interval's write costs on vector tables; a statement's lowest is kept as its baseline. */
  private List<WriteAmplification.Seen> writeCosts(
      String target,
      StatementDeltas.Deltas deltas,
      List<IndexFacts> vectorIndexes,
      Instant at,
      List<Finding> findings) {
    List<WriteCost> lowered = new ArrayList<>();
    List<WriteAmplification.Seen> seen =
        writes.judge(
            deltas.byQuery(),
            vectorIndexes,
            snapshots.writeCostBaselines(target),
            at,
            lowered,
            findings);
    lowered.forEach(w -> snapshots.lowerWriteCostBaseline(target, w));
    return seen;
  }

  /** Why the counters cannot be compared with the previous snapshot's; null when they can. */
  private static String whyNewBaseline(Baseline previous, Baseline current) {
    if (previous == null) {
      return "first run";
    }
    if (!previous.postmasterStart().equals(current.postmasterStart())) {
      return "the server restarted";
    }
    return Objects.equals(previous.statsReset(), current.statsReset())
        ? null
        : "pg_stat_statements was reset";
  }

  /**
   * What the previous runs found about statements that did not run in this interval (or too few
   * times to judge) and about tables not read at all: kept open, see {@link QuietFindings}.
   */
  private List<Finding> quiet(
      String job,
      String target,
      Instant now,
      List<Finding> seen,
      Map<Long, StatementDeltas.Delta> deltas,
      Set<String> unreadTables) {
    Set<String> judged = new HashSet<>();
    seen.forEach(f -> judged.add(f.kind() + " " + f.object()));
    Duration keep = Duration.ofMillis(p.quietKeep.toMilliseconds());
    List<Finding> out = new ArrayList<>();
    for (FindingKind kind :
        List.of(
            SLOW_QUERY,
            SLOW_VECTOR_QUERY,
            VECTOR_TABLE_SEQ_SCAN,
            WriteAmplification.WRITE_AMPLIFICATION)) {
      List<FindingRecord> open = findingStore.openOfKind(kind.name(), target);
      Set<String> quiet =
          kind == VECTOR_TABLE_SEQ_SCAN
              ? unreadTables
              : kind == WriteAmplification.WRITE_AMPLIFICATION
                  ? writes.unjudged(open, deltas)
                  : unjudged(
                      open, deltas, kind == SLOW_VECTOR_QUERY ? p.vectorMinCalls : p.otherMinCalls);
      QuietFindings.carried(open, job, kind, quiet, now, keep).stream()
          .filter(f -> !judged.contains(f.kind() + " " + f.object()))
          .forEach(out::add);
    }
    return out;
  }

  /** The statements of these findings that ran fewer than minCalls times in the interval. */
  private static Set<String> unjudged(
      List<FindingRecord> open, Map<Long, StatementDeltas.Delta> deltas, long minCalls) {
    Set<String> out = new HashSet<>();
    for (FindingRecord r : open) {
      StatementDeltas.Delta d = deltas.get(SlowQueryFindings.queryid(r.object()));
      if (d == null || d.calls < minCalls) {
        out.add(r.object());
      }
    }
    return out;
  }

  /** Tables with a vector index that no scan of either kind read in the interval. */
  private static Set<String> unread(List<TableScans> before, List<TableScans> now) {
    Map<String, TableScans> previous = new LinkedHashMap<>();
    before.forEach(t -> previous.put(t.object(), t));
    Set<String> out = new HashSet<>();
    for (TableScans t : now) {
      TableScans b = previous.get(t.object());
      if (b != null && t.seqScan() == b.seqScan() && t.idxScan() == b.idxScan()) {
        out.add(t.object());
      }
    }
    return out;
  }

  private static SlowQueriesSummary baseline(
      int statements, Long interval, Boolean lossy, Integer restarted, String why) {
    return new SlowQueriesSummary(
        statements,
        interval,
        lossy,
        restarted,
        null,
        null,
        null,
        "new baseline: " + why + "; statements are judged from the next run on",
        null);
  }

  private JobResult missingExtension(String database, boolean notInstalled, boolean preloaded) {
    String fix =
        (preloaded
                ? ""
                : "add pg_stat_statements to shared_preload_libraries in postgresql.conf"
                    + " (shared_preload_libraries = 'pg_stat_statements', appended to any"
                    + " libraries already listed) and restart PostgreSQL")
            + (!preloaded && notInstalled ? ", then " : "")
            + (notInstalled
                ? "run CREATE EXTENSION pg_stat_statements; in database " + database
                : "");
    Finding f =
        Finding.warning(
            "pg_stat_statements",
            SharedFindings.EXTENSION_MISSING,
            "slow-queries cannot run: " + fix,
            Map.of("installed", !notInstalled, "preloaded", preloaded));
    return JobResult.skipped(
        "pg_stat_statements is not " + (notInstalled ? "installed" : "preloaded"), List.of(f));
  }
}
