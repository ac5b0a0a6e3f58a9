package io.pgvectorops.jobs.tiering;

import static io.pgvectorops.sql.Identifiers.quote;

import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.Needs;
import io.pgvectorops.jobs.tiering.TieringParams.Rule;
import io.pgvectorops.jobs.tiering.TieringParams.TieredTable;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
          .writes()
          .needs(Needs.NOTHING.extension("vector"))
          .updatesTables(p -> p.tables.stream().map(t -> t.table).toList())
          .raises(TIER_INDEX_MISSING)
          .build();

  private final TieringParams p;

  TieringJob(TieringParams params) {
    this.p = params;
  }

  /** One rule as SQL: its condition with parameters, for the templates. */
  private record Condition(String sql, List<Object> params) {}

  @Override
  public JobResult run(JobContext ctx) throws Exception {
    Instant start = ctx.clock().instant();
    Instant deadline = start.plusMillis(p.maxRuntime.toMilliseconds());
    Jdbc jdbc = ctx.target().jdbc();
    Connection c = ctx.connection();
    List<Finding> findings = new ArrayList<>();
    List<Map<String, Object>> tables = new ArrayList<>();
    boolean finished = true;
    for (TieredTable t : p.tables) {
      Map<String, Object> report = new LinkedHashMap<>();
      String table = ObjectNames.quotedTable(t.table);
      report.put("table", t.table);
      report.put("before", counts(jdbc, c, t, table));
      Map<String, Long> moved = new LinkedHashMap<>();
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
          finished = false;
          break;
        }
      }
      report.put(ctx.dryRun() ? "wouldMove" : "moved", moved);
      report.put("after", ctx.dryRun() ? report.get("before") : counts(jdbc, c, t, table));
      report.put("indexes", indexes(ctx, jdbc, c, t, table, findings));
      tables.add(report);
      if (!finished) {
        break;
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("dryRun", ctx.dryRun());
    summary.put("tables", tables);
    summary.put("finished", finished);
    if (!finished) {
      summary.put("stoppedAt", "maxRuntime " + p.maxRuntime + " reached: the next run continues");
    }
    JobResult r = JobResult.succeeded(summary, findings);
    return finished ? r : new JobResult(r.status(), r.summary(), r.findings(), null, false);
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
      JobContext ctx)
      throws InterruptedException {
    int tier = t.tiers.get(rule.to);
    String reduced = "";
    if (t.reducedCopy != null && t.reducedCopy.tier.equals(rule.to)) {
      String v = "t." + quote(t.vectorColumn);
      reduced =
          ", "
              + quote(t.reducedCopy.column)
              + " = "
              + (t.reducedCopy.as.equals("binary")
                  ? "binary_quantize(" + v + ")"
                  : v + "::halfvec");
    }
    SqlFile first = template("move_batch", t, table, cond, earlier, reduced).withAfterKey("");
    SqlFile next =
        template("move_batch", t, table, cond, earlier, reduced)
            .withAfterKey("AND t." + quote(t.key) + " > ?");
    long total = 0;
    Object lastKey = null;
    boolean sweeping = false;
    while (true) {
      List<Object> params = new ArrayList<>();
      params.add(tier);
      params.addAll(cond.params());
      earlier.forEach(e -> params.addAll(e.params()));
      if (lastKey != null) {
        params.add(lastKey);
      }
      params.add(p.batchSize);
      params.add(tier);
      List<Object> keys =
          jdbc.query(c, lastKey == null ? first : next, rs -> rs.getObject(1), params.toArray());
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
      Thread.sleep(p.pause.toMilliseconds());
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
            template("move_count", t, table, cond, earlier, "").withAfterKey(""),
            rs -> rs.getLong(1),
            params.toArray())
        .get(0);
  }

  private static Map<String, Long> counts(Jdbc jdbc, Connection c, TieredTable t, String table) {
    Map<Integer, String> names = new LinkedHashMap<>();
    t.tiers.forEach((name, value) -> names.put(value, name));
    Map<String, Long> out = new LinkedHashMap<>();
    SqlFile sql = SqlFile.load("tiering/tier_counts");
    jdbc.query(
        c,
        new SqlFile(
            sql.name(),
            sql.text().replace("{table}", table).replace("{tier}", quote(t.tierColumn))),
        rs ->
            out.put(names.getOrDefault(rs.getInt(1), String.valueOf(rs.getInt(1))), rs.getLong(2)));
    return out;
  }

  /**
   * Every tier needs a valid partial vector index WHERE tier = value; missing ones are findings.
   */
  private List<Map<String, Object>> indexes(
      JobContext ctx, Jdbc jdbc, Connection c, TieredTable t, String table, List<Finding> findings)
      throws Exception {
    record Index(
        String name,
        String column,
        String opclass,
        String method,
        String predicate,
        boolean valid) {}
    List<Index> all =
        jdbc.query(
            c,
            SqlFile.load("probes/partial_vector_indexes"),
            rs ->
                new Index(
                    rs.getString("index_name"),
                    rs.getString("column_name"),
                    rs.getString("opclass"),
                    rs.getString("method"),
                    rs.getString("predicate"),
                    rs.getBoolean("valid")),
            table);
    String opclass = all.stream().map(Index::opclass).findFirst().orElse("vector_l2_ops");
    String method = all.stream().map(Index::method).findFirst().orElse("hnsw");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Integer> tier : t.tiers.entrySet()) {
      Pattern covers =
          Pattern.compile(
              "\\(?\\s*"
                  + Pattern.quote(t.tierColumn)
                  + "\\s*=\\s*\\(?'?"
                  + tier.getValue()
                  + "'?\\)?(::\\w+)?\\s*\\)?");
      Index found =
          all.stream()
              .filter(
                  i ->
                      t.vectorColumn.equals(i.column())
                          && i.predicate() != null
                          && covers.matcher(i.predicate()).matches())
              .findFirst()
              .orElse(null);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tier", tier.getKey());
      if (found != null && found.valid()) {
        m.put("index", found.name());
        out.add(m);
        continue;
      }
      String create =
          "CREATE INDEX CONCURRENTLY ON "
              + table
              + " USING "
              + method
              + " ("
              + quote(t.vectorColumn)
              + " "
              + opclass
              + ") WHERE "
              + quote(t.tierColumn)
              + " = "
              + tier.getValue();
      if (p.createMissingIndexes && !ctx.dryRun()) {
        try (Connection s = ctx.target().dataSource().getConnection();
            Statement st = s.createStatement()) {
          st.execute("SET lock_timeout = " + ctx.target().config().lockTimeout.toMilliseconds());
          st.execute("SET statement_timeout = 0");
          st.execute("/* pgvector-ops:tiering */ " + create);
          m.put("created", create);
          ctx.target().dataSource().evictConnection(s);
          out.add(m);
          continue;
        } catch (java.sql.SQLException e) {
          m.put(
              "createFailed",
              new DbException(ctx.target().jdbc().where(), "create tier index", e).detail());
        }
      }
      m.put("missing", create);
      findings.add(
          Finding.warning(
              t.table + " tier " + tier.getKey(),
              TIER_INDEX_MISSING,
              "tier "
                  + tier.getKey()
                  + " of "
                  + t.table
                  + " has no "
                  + (found == null ? "" : "valid ")
                  + "partial vector index, so searches"
                  + " within it scan or use a full index: "
                  + create
                  + ";",
              Map.of("tier", tier.getKey(), "statement", create)));
      out.add(m);
    }
    return out;
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
    SqlFile f = SqlFile.load("tiering/" + name);
    return new SqlFile(
        f.name(),
        f.text()
            .replace("{table}", table)
            .replace("{key}", quote(t.key))
            .replace("{tier}", quote(t.tierColumn))
            .replace("{rule}", rule.sql())
            .replace("{earlier_rules}", earlierSql)
            .replace("{set_reduced}", reduced));
  }
}
