package io.pgvectorops.jobs.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The column mapping for each pg_stat_statements generation (CI's server covers one for real). */
class StatementColumnsTest {
  static final Set<String> COMMON =
      Set.of("userid", "dbid", "queryid", "query", "calls", "rows", "shared_blks_read");

  static Set<String> with(String... extra) {
    var s = new java.util.HashSet<>(COMMON);
    s.addAll(Set.of(extra));
    return s;
  }

  @Test
  void postgres12() {
    var c = StatementColumns.from(with("total_time", "max_time", "blk_read_time"));
    assertThat(c)
        .isEqualTo(new StatementColumns("s.total_time", "s.max_time", "true", "NULL::timestamptz"));
  }

  @Test
  void postgres13() {
    var c =
        StatementColumns.from(
            with("total_plan_time", "total_exec_time", "max_exec_time", "wal_bytes"));
    assertThat(c.totalTime()).isEqualTo("(s.total_exec_time + s.total_plan_time)");
    assertThat(c.maxTime()).isEqualTo("s.max_exec_time");
    assertThat(c.toplevel()).isEqualTo("true");
  }

  @Test
  void postgres14To16() {
    var c =
        StatementColumns.from(
            with("total_plan_time", "total_exec_time", "max_exec_time", "toplevel"));
    assertThat(c.toplevel()).isEqualTo("s.toplevel");
    assertThat(c.statsSince()).isEqualTo("NULL::timestamptz");
  }

  @Test
  void postgres17() {
    var c =
        StatementColumns.from(
            with(
                "total_plan_time",
                "total_exec_time",
                "max_exec_time",
                "toplevel",
                "shared_blk_read_time",
                "stats_since",
                "minmax_stats_since"));
    assertThat(c.statsSince()).isEqualTo("s.stats_since");
    assertThat(c.apply("SELECT {total_time}, {max_time}, {toplevel}, {stats_since}"))
        .isEqualTo(
            "SELECT (s.total_exec_time + s.total_plan_time), s.max_exec_time, s.toplevel, s.stats_since");
  }
}
