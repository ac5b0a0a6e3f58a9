package io.pgvectorops.jobs.sqlcheck;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.sql.DbException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an operator's query in a READ ONLY transaction (rolled back afterwards) with the job's
 * statement timeout, and turns its rows into findings. The driver's extended protocol refuses
 * several statements in one query, and the transaction refuses writes: either is a failed run with
 * the server's message.
 */
public class SqlCheckJob implements Job {
  /**
   * The SqlCheck kind: registered in kinds/JobKinds. Read-only by construction (READ ONLY
   * transaction), so it also runs on standbys.
   */
  public static final JobKind KIND =
      JobKind.named("sql-check", SqlCheckParams.class, (d, p, s) -> new SqlCheckJob(d.name(), p))
          .build();

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private final String jobName;
  private final SqlCheckParams p;

  /** Named in the job file (or after the job), so declared here rather than in a list. */
  private final FindingKind findingKind;

  SqlCheckJob(String jobName, SqlCheckParams params) {
    this.jobName = jobName;
    this.p = params;
    String kind =
        p.findingKind != null ? p.findingKind : jobName.toLowerCase().replaceAll("[^a-z0-9-]", "-");
    this.findingKind = FindingKind.of(kind, Severity.info, Severity.critical);
  }

  @Override
  public JobResult run(JobContext ctx) throws SQLException {
    String query = io.pgvectorops.sql.SqlText.singleStatement(p.query);
    if (query == null) {
      return JobResult.failed(
          "params.query must be one statement; it holds several (separated by ';')", List.of());
    }
    Connection c = ctx.connection();
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean truncated;
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION READ ONLY");
        if (p.statementTimeout != null) {
          s.execute("SET LOCAL statement_timeout = " + p.statementTimeout.toMilliseconds());
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "/* pgvector-ops:sql-check:" + jobName.replace("*/", "") + " */\n" + query)) {
        ps.setMaxRows(p.maxRows + 1);
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
              row.put(md.getColumnLabel(i), plain(rs.getObject(i)));
            }
            rows.add(row);
          }
        }
      } catch (SQLException e) {
        throw new DbException(ctx.target().jdbc().where(), "sql-check " + jobName, e);
      }
    } finally {
      endTransaction(c);
    }
    truncated = rows.size() > p.maxRows;
    if (truncated) {
      rows = rows.subList(0, p.maxRows);
    }
    if (!rows.isEmpty() && !rows.get(0).containsKey(p.key)) {
      return JobResult.failed(
          "the query returns no column '"
              + p.key
              + "' named by params.key (columns: "
              + String.join(", ", rows.get(0).keySet())
              + ")",
          List.of());
    }
    if (!rows.isEmpty() && p.value != null && !rows.get(0).containsKey(p.value)) {
      return JobResult.failed(
          "the query returns no column '"
              + p.value
              + "' named by params.value (columns: "
              + String.join(", ", rows.get(0).keySet())
              + ")",
          List.of());
    }
    List<Finding> findings = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Finding.Severity severity = severity(row);
      if (severity != null) {
        Map<String, Object> metrics = new LinkedHashMap<>(row);
        metrics.remove(p.key);
        String object = String.valueOf(row.get(p.key));
        findings.add(Finding.of(object, findingKind, severity, message(row, object), metrics));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("rows", rows.size());
    summary.put("findings", findings.size());
    summary.put("truncated", truncated);
    JobResult result = JobResult.succeeded(summary, findings);
    // a truncated answer did not show every row, so it must not resolve findings it did not see
    return truncated
        ? new JobResult(result.status(), result.summary(), result.findings(), null, false)
        : result;
  }

  /** null: below the thresholds, no finding. */
  private Finding.Severity severity(Map<String, Object> row) {
    if (p.value == null) {
      return Finding.Severity.valueOf(p.severity);
    }
    Object v = row.get(p.value);
    if (!(v instanceof Number n)) {
      return null;
    }
    double x = n.doubleValue();
    if (p.critical != null && x >= p.critical) {
      return Finding.Severity.critical;
    }
    if (p.warning != null && x >= p.warning) {
      return Finding.Severity.warning;
    }
    return p.warning == null && p.critical == null ? Finding.Severity.valueOf(p.severity) : null;
  }

  private String message(Map<String, Object> row, String object) {
    if (p.message == null) {
      return findingKind.name()
          + ": "
          + object
          + (p.value == null ? "" : " (" + p.value + " = " + row.get(p.value) + ")");
    }
    Matcher m = PLACEHOLDER.matcher(p.message);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          sb,
          Matcher.quoteReplacement(
              String.valueOf(row.getOrDefault(m.group(1), "{" + m.group(1) + "}"))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Values that JSON can carry as they are; everything else as text. */
  private static Object plain(Object v) {
    if (v == null || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof BigDecimal b) {
      return b.stripTrailingZeros().scale() <= 0
          ? (Object) b.longValue()
          : (Object) b.doubleValue();
    }
    if (v instanceof Number) {
      return v;
    }
    return v.toString();
  }

  /**
   * Ends the read-only transaction. When the connection died under the query (the target
   * restarted), the query's error is the one to report, not "connection is closed" from this
   * rollback.
   */
  private static void endTransaction(Connection c) {
    try {
      if (!c.isClosed()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException broken) {
      // the pool drops a broken connection on its own
    }
  }
}
