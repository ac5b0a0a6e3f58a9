package io.pgvectorops.jobs.slowqueries;

import java.util.Map;
import java.util.Set;

/**
 * pg_stat_statements' columns by version, discovered from the view rather than assumed from the
 * server version: ≤12 total_time/max_time; 13+ total_exec_time/max_exec_time (plus plan time); 14+
 * toplevel; 17 stats_since. Only names from this fixed set are ever spliced into the probe.
 */
public record StatementColumns(
    String totalTime, String maxTime, String toplevel, String statsSince) {

  public static StatementColumns from(Set<String> columns) {
    String total =
        columns.contains("total_exec_time")
            ? columns.contains("total_plan_time")
                ? "(s.total_exec_time + s.total_plan_time)"
                : "s.total_exec_time"
            : "s.total_time";
    String max =
        columns.contains("max_exec_time")
            ? "s.max_exec_time"
            : columns.contains("max_time") ? "s.max_time" : "NULL::float8";
    String toplevel = columns.contains("toplevel") ? "s.toplevel" : "true";
    String since = columns.contains("stats_since") ? "s.stats_since" : "NULL::timestamptz";
    return new StatementColumns(total, max, toplevel, since);
  }

  /** The probe with this server's column expressions in place of its {placeholders}. */
  public String apply(String template) {
    String sql = template;
    for (Map.Entry<String, String> e :
        Map.of(
                "{total_time}",
                totalTime,
                "{max_time}",
                maxTime,
                "{toplevel}",
                toplevel,
                "{stats_since}",
                statsSince)
            .entrySet()) {
      sql = sql.replace(e.getKey(), e.getValue());
    }
    return sql;
  }
}
