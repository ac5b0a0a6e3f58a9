package io.pgvectorops.jobs.slowqueries;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgvector #875: an UPDATE of a non-vector column is cheap while it is a HOT update and costly once
 * it is not, because each new row version goes into the HNSW index. The same statement runs once
 * with room on its pages (HOT), then three times while an open snapshot keeps the old versions (no
 * pruning, no room: new versions on other pages, inserted into the index): the second interval's
 * buffers per row are many times the first's, and slow-queries says so, naming the statement, the
 * table and its HNSW index.
 */
class WriteAmplificationTest {
  @TempDir Path dir;

  private static final String UPDATE = "UPDATE w SET n = n + 1 WHERE id <= 2000";

  @Test
  void anUpdateThatStopsBeingHotIsReportedWithItsCostPerRowAgainstItsBaseline() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("write_amp");
    db.execute(
        "CREATE TABLE w (id int PRIMARY KEY, e vector(32), n int NOT NULL DEFAULT 0)"
            + " WITH (fillfactor = 50, autovacuum_enabled = off)",
        "INSERT INTO w SELECT i, rv(32), 0 FROM generate_series(1, 3000) i",
        "CREATE INDEX w_hnsw ON w USING hnsw (e vector_l2_ops)",
        "VACUUM ANALYZE w");
    String job =
        "name: slow\nkind: slow-queries\nschedule: '0 0 * * * ?'\n"
            + "params: {writeMinRows: 500, retention: 0s}\n";
    try (Components c = Stack.withJobs(db, "write_amp_state", dir, Map.of("slow.yml", job))) {
      assertThat(run(c).summary().toString()).contains("new baseline");
      db.execute(UPDATE);
      RunOutcome cheap = run(c);
      WriteAmplification.Seen first = seen(cheap);
      assertThat(first.table()).isEqualTo("public.w");
      assertThat(first.rows()).isEqualTo(2000);
      assertThat(first.baselineBuffersPerRow()).as("the first interval is the baseline").isNull();

      try (Connection holder = db.connect();
          Statement s = holder.createStatement()) {
        // an old snapshot keeps every version since: nothing prunable, pages fill up
        holder.setAutoCommit(false);
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        s.execute("SELECT count(*) FROM w");
        db.execute(UPDATE, UPDATE, UPDATE);
        RunOutcome costly = run(c);
        holder.rollback();
        WriteAmplification.Seen second = seen(costly);
        System.out.printf(
            "WriteAmplificationTest: %s: %.1f buffers per row while HOT, %.1f after (%.1fx)%n",
            UPDATE, first.buffersPerRow(), second.buffersPerRow(), second.factor());
        assertThat(second.baselineBuffersPerRow()).isEqualTo(first.buffersPerRow());
        assertThat(costly.findings())
            .filteredOn(f -> f.kind().equals("write-amplification"))
            .singleElement()
            .satisfies(
                f -> {
                  assertThat(f.severity()).isEqualTo(Finding.Severity.warning);
                  assertThat(f.object()).startsWith("public.w [queryid ");
                  assertThat(f.message())
                      .contains("writes to public.w cost")
                      .contains("UPDATE w SET n = n + $1 WHERE id <= $2")
                      .contains("public.w_hnsw (hnsw)");
                  assertThat(((Number) f.metrics().get("factor")).doubleValue())
                      .isGreaterThanOrEqualTo(5);
                });
      }
      // an interval in which the statement did not run says nothing about it: still open
      RunOutcome idle = run(c);
      assertThat(idle.findings())
          .filteredOn(f -> f.kind().equals("write-amplification"))
          .singleElement()
          .satisfies(f -> assertThat(f.metrics()).containsKey("quietSince"));
    }
  }

  @Test
  void theWrittenTableIsReadAsSqlNamesItQuotedOrNotQualifiedOrNot() {
    Map<String, List<IndexFacts>> byTable =
        Map.of(
            "public.w", List.of(index("public", "w")),
            "Team A.My \"v2\"", List.of(index("Team A", "My \"v2\"")));
    assertThat(WriteAmplification.table("UPDATE w SET n = $1", byTable)).isEqualTo("public.w");
    assertThat(WriteAmplification.table("insert into PUBLIC.W (e) values ($1)", byTable))
        .isEqualTo("public.w");
    assertThat(WriteAmplification.table("UPDATE ONLY \"public\".\"w\" SET n = $1", byTable))
        .isEqualTo("public.w");
    assertThat(
            WriteAmplification.table(
                "INSERT INTO \"Team A\".\"My \"\"v2\"\"\" (e) VALUES ($1)", byTable))
        .isEqualTo("Team A.My \"v2\"");
    // another schema's w, a quoted W (not w), a read: none of them
    assertThat(WriteAmplification.table("UPDATE other.w SET n = $1", byTable)).isNull();
    assertThat(WriteAmplification.table("UPDATE \"W\" SET n = $1", byTable)).isNull();
    assertThat(WriteAmplification.table("SELECT * FROM w", byTable)).isNull();
  }

  private static IndexFacts index(String schema, String table) {
    return new IndexFacts(
        1,
        2,
        schema,
        table + "_hnsw",
        table,
        "hnsw",
        "vector",
        3,
        Map.of(),
        8192,
        10.0,
        true,
        false,
        "",
        16.0,
        false,
        null,
        List.of());
  }

  private static RunOutcome run(Components c) {
    RunOutcome o = Stack.runNow(c, "slow");
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    return o;
  }

  private static WriteAmplification.Seen seen(RunOutcome o) {
    List<WriteAmplification.Seen> costs =
        ((SlowQueriesJob.SlowQueriesSummary) o.summary()).writeCosts();
    assertThat(costs).as(String.valueOf(o.summary())).hasSize(1);
    return costs.get(0);
  }
}
