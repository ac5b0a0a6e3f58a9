package io.pgvectorops.jobs.sqlcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@VectorSet
class SqlCheckTest {
  static TestPostgres.Database db;
  static Components c;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("sqlcheck");
    db.execute(
        "CREATE SCHEMA \"Team A\"",
        "CREATE TABLE \"Team A\".\"Embeddings \"\"v2\"\"\" (id bigint, e vector(3))",
        "INSERT INTO \"Team A\".\"Embeddings \"\"v2\"\"\" SELECT g, '[1,2,3]' FROM generate_series(1, 20000) g",
        "CREATE TABLE small_vectors (id bigint, e vector(3))",
        "INSERT INTO small_vectors SELECT g, '[1,2,3]' FROM generate_series(1, 50) g",
        "CREATE TABLE indexed (id bigint, e vector(3))",
        "INSERT INTO indexed SELECT g, '[1,2,3]' FROM generate_series(1, 20000) g",
        "CREATE INDEX ON indexed USING hnsw (e vector_l2_ops)",
        "CREATE TABLE loose (id bigint, e vector, h halfvec(4))",
        "CREATE TABLE canary (id int)",
        "ANALYZE");
    // the examples shipped in jobs/, unchanged
    c =
        Stack.withJobs(
            db,
            "sqlcheck_state",
            dir,
            Map.of(
                "vector-tables-without-ann-index.yml",
                    Stack.shippedJob("vector-tables-without-ann-index.yml"),
                "vector-columns-without-dimensions.yml",
                    Stack.shippedJob("vector-columns-without-dimensions.yml"),
                "writer.yml",
                    "name: writer\nkind: sql-check\nschedule: '0 0 * * * ?'\n"
                        + "params:\n  query: \"INSERT INTO canary VALUES (1) RETURNING id\"\n  key: id\n",
                "sneaky.yml",
                    "name: sneaky\nkind: sql-check\nschedule: '0 0 * * * ?'\n"
                        + "params:\n  query: \"SELECT 1 AS id; COMMIT; DROP TABLE canary\"\n  key: id\n",
                "wrongkey.yml",
                    "name: wrongkey\nkind: sql-check\nschedule: '0 0 * * * ?'\n"
                        + "params:\n  query: \"SELECT 1 AS a\"\n  key: b\n",
                "slow.yml",
                    "name: slow\nkind: sql-check\nschedule: '0 0 * * * ?'\n"
                        + "params:\n  query: \"SELECT 1 AS a FROM pg_sleep(3)\"\n  key: a\n  statementTimeout: 200ms\n"));
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  private RunOutcome run(String job) {
    JobDefinition d = c.catalog.get(job).orElseThrow();
    return c.runner.run(d, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
  }

  @Test
  void theAnnIndexExampleFindsLargeUnindexedVectorTablesWithQuotedNames() {
    RunOutcome o = run("vector-tables-without-ann-index");
    assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
    Map<String, Finding> byObject =
        o.findings().stream().collect(Collectors.toMap(Finding::object, f -> f));
    assertThat(byObject).containsOnlyKeys("\"Team A\".\"Embeddings \"\"v2\"\"\".e");
    Finding f = byObject.values().iterator().next();
    assertThat(f.kind()).isEqualTo("no-ann-index");
    assertThat(f.severity()).isEqualTo(Finding.Severity.warning);
    assertThat(f.metrics()).containsEntry("rows", 20000L).containsEntry("type", "vector(3)");
    assertThat(f.message()).contains("has about 20000 rows and no ANN index");
  }

  @Test
  void theDimensionExampleFindsUnconstrainedColumns() {
    RunOutcome o = run("vector-columns-without-dimensions");
    assertThat(o.findings()).extracting(Finding::object).containsExactly("public.loose.e");
    assertThat(o.findings().get(0).message()).contains("declare it as vector(N)");
  }

  @Test
  void writesAndSeveralStatementsFailClearlyAndChangeNothing() throws Exception {
    RunOutcome writer = run("writer");
    assertThat(writer.status()).isEqualTo(RunStatus.failed);
    assertThat(writer.error()).contains("read-only transaction");
    RunOutcome sneaky = run("sneaky");
    assertThat(sneaky.status()).isEqualTo(RunStatus.failed);
    assertThat(sneaky.error()).contains("must be one statement");
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM canary")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void aMissingKeyColumnAndATimeoutAreFailedRunsWithReasons() {
    RunOutcome wrong = run("wrongkey");
    assertThat(wrong.status()).isEqualTo(RunStatus.failed);
    assertThat(wrong.error()).contains("no column 'b'").contains("columns: a");
    RunOutcome slow = run("slow");
    assertThat(slow.status()).isEqualTo(RunStatus.failed);
    assertThat(slow.error()).contains("statement timeout");
  }

  @Test
  void singleStatementDetectionFollowsTheDriversParser() throws Exception {
    assertThat(io.pgvectorops.sql.SqlText.singleStatement("SELECT ';' AS x;"))
        .isEqualTo("SELECT ';' AS x");
    assertThat(io.pgvectorops.sql.SqlText.singleStatement("SELECT $$a;b$$ -- ; comment\n"))
        .isNotNull();
    assertThat(io.pgvectorops.sql.SqlText.singleStatement("SELECT 1; SELECT 2")).isNull();
  }

  @Test
  void aFilterStaysOneConditionInsideItsParentheses() throws Exception {
    for (String ok :
        List.of(
            "tenant_id = 7",
            "(a = 1 OR b = 2) AND c IN (1, 2)",
            "name = 'x); DROP TABLE t; --'",
            "\"we)ird\" = 1",
            "note = $q$ ); $q$",
            "a = 1 -- ) ;\n AND b = 2",
            "a = 1 /* ) ; */")) {
      assertThat(io.pgvectorops.sql.SqlText.isSingleCondition(ok)).as(ok).isTrue();
    }
    for (String bad :
        List.of(
            "true; DROP TABLE canary",
            "true) OR (SELECT count(*) FROM canary) > 0 OR (true",
            "a = (1",
            "a = 1)",
            "name = 'unclosed",
            "a = 1 /* unclosed",
            "x = $q$ unclosed")) {
      assertThat(io.pgvectorops.sql.SqlText.isSingleCondition(bad)).as(bad).isFalse();
    }
  }
}
