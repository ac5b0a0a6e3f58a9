package io.pgvectorops.jobs.sqlcheck;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.findings.Finding.Severity;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.sql.SqlText;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
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
          .reports(SqlCheckSummary.class)
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

  /** How many rows the query returned, how many became findings, and whether rows were cut. */
  public record SqlCheckSummary(int rows, int findings, boolean truncated) implements JobSummary {}

  /**
   * One row of the operator's query, by column label. Free-form by nature: the columns are whatever
   * the query selects, so this is a map rather than a record.
   */
  private record Row(Map<String, Object> values) {
    Object get(String column) {
      return values.get(column);
    }

    String columns() {
      return String.join(", ", values.keySet());
    }

    /** Everything but the key column, as the finding's figures. */
    Map<String, Object> metricsWithout(String key) {
      Map<String, Object> m = new LinkedHashMap<>(values);
      m.remove(key);
      return m;
    }
  }

  @Override
  public JobResult run(JobContext ctx) {
    String query = SqlText.singleStatement(p.query);
    if (query == null) {
      return JobResult.failed(
          "params.query must be one statement; it holds several (separated by ';')", List.of());
    }
    Jdbc jdbc = ctx.target().jdbc();
    SqlFile sql = SqlFile.tagged("sql-check:" + jobName, query);
    List<Row> rows =
        jdbc.readOnlyThenRollback(
            ctx.connection(),
            false,
            p.statementTimeout == null ? null : p.statementTimeout.toMilliseconds(),
            c -> jdbc.queryAtMost(c, sql, p.maxRows + 1, SqlCheckJob::row));
    boolean truncated = rows.size() > p.maxRows;
    if (truncated) {
      rows = rows.subList(0, p.maxRows);
    }
    String missing = rows.isEmpty() ? null : missingColumn(rows.get(0));
    if (missing != null) {
      return JobResult.failed(missing, List.of());
    }
    List<Finding> findings = new ArrayList<>();
    for (Row row : rows) {
      Finding.Severity severity = severity(row);
      if (severity != null) {
        String object = String.valueOf(row.get(p.key));
        findings.add(
            Finding.of(
                object, findingKind, severity, message(row, object), row.metricsWithout(p.key)));
      }
    }
    SqlCheckSummary summary = new SqlCheckSummary(rows.size(), findings.size(), truncated);
    // a truncated answer did not show every row, so it must not resolve findings it did not see
    return truncated
        ? JobResult.partial(summary, findings)
        : JobResult.succeeded(summary, findings);
  }

  private static Row row(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      values.put(md.getColumnLabel(i), plain(rs.getObject(i)));
    }
    return new Row(values);
  }

  /** The params.key or params.value column the query does not return, as an operator reads it. */
  private String missingColumn(Row first) {
    for (String[] named : new String[][] {{"key", p.key}, {"value", p.value}}) {
      if (named[1] != null && !first.values().containsKey(named[1])) {
        return "the query returns no column '"
            + named[1]
            + "' named by params."
            + named[0]
            + " (columns: "
            + first.columns()
            + ")";
      }
    }
    return null;
  }

  /** null: below the thresholds, no finding. */
  private Finding.Severity severity(Row row) {
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

  private String message(Row row, String object) {
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
              String.valueOf(row.values().getOrDefault(m.group(1), "{" + m.group(1) + "}"))));
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
}
