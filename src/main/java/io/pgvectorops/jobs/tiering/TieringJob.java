package io.pgvectorops.jobs.tiering;

import static io.pgvectorops.sql.Identifiers.quote;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.common.Threads;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.ApiContext;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.tiering.TieringParams.Rule;
import io.pgvectorops.jobs.tiering.TieringParams.TieredTable;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves rows between tiers by the job file's rules, in batches that are each one short transaction
 * locking only their rows (FOR UPDATE SKIP LOCKED, keyed by primary key), pausing in between, until
 * done or maxRuntime (the next run continues). Checks every tier has a valid partial vector index.
 * Never deletes a row or touches the full-precision vector.
 */
public class TieringJob implements Job {
  static final FindingKind TIER_INDEX_MISSING =
      FindingKind.of("tier-index-missing", Severity.warning, Severity.warning);

  /** The Tiering kind: registered in kinds/JobKinds. */
  public static final JobKind KIND =
      JobKind.named("tiering", TieringParams.class, (d, p, s) -> new TieringJob(p))
          .keeps(TieringRecords.class, TieringRecords::new)
          .exports((TieringRecords r, ApiContext api) -> new TieringMetrics(r, api.targets()))
          .writes()
          .needs(Needs.NOTHING.extension("vector"))
          .updatesTables(p -> p.tables.stream().map(t -> t.table).toList())
          .raises(TIER_INDEX_MISSING)
          .fixes(TIER_INDEX_MISSING.name())
          .reports(TieringSummary.class)
          .build();

  private final TieringParams p;

  TieringJob(TieringParams params) {
    this.p = params;
  }

  /** One rule as SQL: its condition with parameters, for the templates. */
  private record Condition(String sql, List<Object> params) {}

  /** What a tiering run moved (or would move, in a dry run), table by table. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TieringSummary(
      boolean dryRun, List<TableReport> tables, boolean finished, String stoppedAt)
      implements JobSummary {}

  /** Rows per tier before and after, what moved, and each tier's partial index. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TableReport(
      String table,
      Map<String, Long> before,
      Map<String, Long> wouldMove,
      Map<String, Long> moved,
      Map<String, Long> after,
      List<TierIndex> indexes) {}

  /** A tier's partial vector index: found, created, or missing with the statement that makes it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TierIndex(
      String tier, String index, String created, String createFailed, String missing) {}

  @Override
  public JobResult run(JobContext ctx) {
    Instant start = ctx.clock().instant();
    Instant deadline = start.plusMillis(p.maxRuntime.toMilliseconds());
    List<Finding> findings = new ArrayList<>();
    List<TableReport> tables = new ArrayList<>();
    boolean finished = true;
    for (TieredTable t : p.tables) {
      Jdbc jdbc = ctx.target().jdbc();
      Connection c = ctx.connection();
      String table = ObjectNames.quotedTable(t.table);
      Map<String, Long> before = counts(jdbc, c, t, table);
      Map<String, Long> moved = new LinkedHashMap<>();
      finished = moveTable(ctx, t, table, start, deadline, moved);
      tables.add(
          new TableReport(
              t.table,
              before,
              ctx.dryRun() ? moved : null,
              ctx.dryRun() ? null : moved,
              ctx.dryRun() ? before : counts(jdbc, c, t, table),
              new TierIndexes(p).indexes(ctx, jdbc, c, t, table, findings)));
      if (!finished) {
        break;
      }
    }
    TieringSummary summary =
        new TieringSummary(
            ctx.dryRun(),
            tables,
            finished,
            finished ? null : "maxRuntime " + p.maxRuntime + " reached: the next run continues");
    return finished ? JobResult.succeeded(summary, findings) : JobResult.partial(summary, findings);
  }

  /**
   * Applies a table's rules in order (a row matches the first rule that matches it).
   *
   * @return false when maxRuntime ran out before the last rule
   */
  private boolean moveTable(
      JobContext ctx,
      TieredTable t,
      String table,
      Instant start,
      Instant deadline,
      Map<String, Long> moved) {
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    List<Condition> earlier = new ArrayList<>();
    for (Rule rule : t.rules) {
      Condition cond = condition(t, rule, start);
      long n =
          ctx.dryRun()
              ? count(jdbc, c, t, table, rule, cond, earlier)
              : move(jdbc, c, t, table, rule, cond, earlier, deadline, ctx);
      moved.merge(rule.to, n, Long::sum);
      earlier.add(cond);
      if (!ctx.dryRun() && ctx.clock().instant().isAfter(deadline)) {
        return false;
      }
    }
    return true;
  }

  private long move(
      Jdbc jdbc,
      Connection c,
      TieredTable t,
      String table,
      Rule rule,
      Condition cond,
      List<Condition> earlier,
      Instant deadline,
      JobContext ctx) {
    int tier = t.tiers.get(rule.to);
    String reduced = reducedCopy(t, rule);
    SqlFile first = template("move_batch", t, table, cond, earlier, reduced).with("after_key", "");
    SqlFile next =
        template("move_batch", t, table, cond, earlier, reduced)
            .with("after_key", "AND t." + quote(t.key) + " > ?");
    long total = 0;
    Object lastKey = null;
    boolean sweeping = false;
    while (true) {
      List<Object> keys =
          jdbc.query(
              c,
              lastKey == null ? first : next,
              rs -> rs.getObject(1),
              batchParams(tier, cond, earlier, lastKey));
      int n = keys.size();
      total += n;
      lastKey = keys.stream().max(TieringJob::compareKeys).orElse(lastKey);
      if (ctx.clock().instant().isAfter(deadline) || ctx.stopRequested().getAsBoolean()) {
        return total;
      }
      if (n < p.batchSize) {
        if (sweeping || lastKey == null) {
          return total;
        }
        // one sweep from the start for rows the application held when their batch passed
        sweeping = true;
        lastKey = null;
        continue;
      }
      if (!Threads.pause(p.pause.toMilliseconds())) {
        return total; // the daemon is stopping
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  private long count(
      Jdbc jdbc,
      Connection c,
      TieredTable t,
      String table,
      Rule rule,
      Condition cond,
      List<Condition> earlier) {
    List<Object> params = new ArrayList<>();
    params.add(t.tiers.get(rule.to));
    params.addAll(cond.params());
    earlier.forEach(e -> params.addAll(e.params()));
    return jdbc.query(
            c,
            template("move_count", t, table, cond, earlier, ""),
            rs -> rs.getLong(1),
            params.toArray())
        .get(0);
  }

  private static Map<String, Long> counts(Jdbc jdbc, Connection c, TieredTable t, String table) {
    Map<Integer, String> names = new LinkedHashMap<>();
    t.tiers.forEach((name, value) -> names.put(value, name));
    Map<String, Long> out = new LinkedHashMap<>();
    jdbc.query(
        c,
        SqlFile.load("tiering/tier_counts").with("table", table).with("tier", quote(t.tierColumn)),
        rs ->
            out.put(names.getOrDefault(rs.getInt(1), String.valueOf(rs.getInt(1))), rs.getLong(2)));
    return out;
  }

  /**
   * Every tier needs a valid partial vector index WHERE tier = value; missing ones are findings.
   */
  /** The reduced copy's assignment when rows move to its tier ("", else ", col = expr"). */
  private static String reducedCopy(TieredTable t, Rule rule) {
    if (t.reducedCopy == null || !t.reducedCopy.tier.equals(rule.to)) {
      return "";
    }
    String v = "t." + quote(t.vectorColumn);
    return ", "
        + quote(t.reducedCopy.column)
        + " = "
        + (t.reducedCopy.as.equals("binary") ? "binary_quantize(" + v + ")" : v + "::halfvec");
  }

  /** The parameters of one batch, in the order the move_batch template takes them. */
  private Object[] batchParams(int tier, Condition cond, List<Condition> earlier, Object lastKey) {
    List<Object> params = new ArrayList<>();
    params.add(tier);
    params.addAll(cond.params());
    earlier.forEach(e -> params.addAll(e.params()));
    if (lastKey != null) {
      params.add(lastKey);
    }
    params.add(p.batchSize);
    params.add(tier);
    return params.toArray();
  }

  private static Condition condition(TieredTable t, Rule r, Instant now) {
    List<String> parts = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    String last = "t." + quote(t.lastAccessColumn);
    if (r.accessedWithin != null) {
      parts.add(last + " >= ?");
      params.add(now.minusMillis(r.accessedWithin.toMilliseconds()));
    }
    if (r.notAccessedFor != null) {
      parts.add("(" + last + " < ? OR " + last + " IS NULL)");
      params.add(now.minusMillis(r.notAccessedFor.toMilliseconds()));
    }
    if (r.minAccessCount != null) {
      parts.add("coalesce(t." + quote(t.accessCountColumn) + ", 0) >= ?");
      params.add(r.minAccessCount);
    }
    return new Condition(String.join(" AND ", parts), params);
  }

  private static SqlFile template(
      String name,
      TieredTable t,
      String table,
      Condition rule,
      List<Condition> earlier,
      String reduced) {
    String earlierSql =
        earlier.isEmpty()
            ? "false"
            : String.join(
                " OR ", earlier.stream().map(e -> "coalesce((" + e.sql() + "), false)").toList());
    Map<String, String> values = new LinkedHashMap<>();
    values.put("table", table);
    values.put("key", quote(t.key));
    values.put("tier", quote(t.tierColumn));
    values.put("rule", rule.sql());
    values.put("earlier_rules", earlierSql);
    values.put("set_reduced", reduced);
    return SqlFile.load("tiering/" + name).fill(values);
  }
}
