package io.pgvectorops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL catalogue itself: every statement under sql/ (but the migrations and the demo's psql
 * scripts) has a header, is one statement, is used by the code, and runs on a real server: queries
 * and DML planned (EXPLAIN with NULL for each parameter, templates filled as the jobs fill them),
 * DDL and session statements executed on a scratch table. No statement is sent from anywhere but
 * the JDBC boundary.
 */
@VectorSet
class SqlCatalogTest {
  static TestPostgres.Database db;
  @TempDir static Path dir;

  /** Folders of statements the daemon sends; sql/state and sql/sandbox are run by other tools. */
  static final List<String> FOLDERS =
      List.of("probes", "store", "session", "ddl", "tiering", "regression", "quantization");

  /** How the jobs fill the templates, on the scratch table catalog_items. */
  static final Map<String, String> FILLS =
      Map.ofEntries(
          Map.entry("table", "public.catalog_items"),
          Map.entry("key", "id"),
          Map.entry("tier", "tier"),
          Map.entry("rule", "t.id > ?"),
          Map.entry("earlier_rules", "false"),
          Map.entry("set_reduced", ""),
          Map.entry("after_key", "AND t.id > ?"),
          Map.entry("column", "e"),
          Map.entry("operator", "<->"),
          Map.entry("type", "vector"),
          Map.entry("filter", "true"),
          Map.entry("send", "vector_send"),
          Map.entry("limit", "10"),
          Map.entry("expression", "subvector((?::vector(3)), 1, 2)::vector(2)"),
          Map.entry("base", "e"),
          Map.entry("base_type", "vector(3)"),
          Map.entry("rerank_operator", "<=>"),
          Map.entry("candidates", "40"),
          Map.entry("sample", "public.catalog_trial_sample"),
          Map.entry("index_key", "v"),
          Map.entry("index_operator", "<->"),
          Map.entry("probe_key", "?::vector"),
          Map.entry("percent", "100"),
          Map.entry("rows", "50"));

  @BeforeAll
  static void stateSchemaAndScratchTable() throws Exception {
    db = TestPostgres.newDatabase("catalog");
    try (Components c =
        Stack.open(Stack.config(db, "pgvector_ops", dir.resolve("jobs")), Clock.systemUTC())) {
      // migrated: the store statements can be planned against real tables
    }
    db.execute(
        "CREATE TABLE catalog_items (id int PRIMARY KEY, tier int, e vector(3))",
        "INSERT INTO catalog_items SELECT i, i % 2, rv(3) FROM generate_series(1, 200) i",
        "CREATE INDEX catalog_items_hnsw ON catalog_items USING hnsw (e vector_l2_ops)",
        // what the quantization-trial's sample looks like (ddl/create_trial_sample)
        "CREATE TABLE catalog_trial_sample (id int, source_tid text, v vector(3))");
  }

  static List<String> names(List<String> folders) throws Exception {
    List<String> out = new ArrayList<>();
    for (String folder : folders) {
      try (Stream<Path> files = Files.list(Path.of("sql", folder))) {
        files
            .map(p -> folder + "/" + p.getFileName().toString().replace(".sql", ""))
            .forEach(out::add);
      }
    }
    return out.stream().sorted().toList();
  }

  static boolean utility(String name) {
    return name.startsWith("ddl/") || name.startsWith("session/");
  }

  @Test
  void everyQueryAndDmlPlansWithItsTemplateFilled() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path = pgvector_ops, public");
      Set<String> columns = statementColumns(s);
      boolean statementsInfo = db.hasView("pg_stat_statements_info");
      for (String name : names(FOLDERS)) {
        if (utility(name)) {
          continue; // executed for real below: EXPLAIN does not take them
        }
        if (name.equals("probes/pg_stat_statements_info") && !statementsInfo) {
          continue; // PostgreSQL 13: slow-queries skips it and judges resets by the counters
        }
        String failure = planFailure(s, name, columns);
        assertThat(failure).as("sql/" + name + ".sql does not plan").isNull();
      }
    }
  }

  /** The columns pg_stat_statements has on this server (their names change between versions). */
  static Set<String> statementColumns(Statement s) throws SQLException {
    Set<String> columns = new HashSet<>();
    try (ResultSet rs = s.executeQuery(SqlFile.load("probes/pg_stat_statements_columns").text())) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    return columns;
  }

  /**
   * EXPLAIN of a statement filled as the jobs fill it (the pg_stat_statements template with this
   * server's column mapping), its parameters NULL: the server's error, or null when it plans.
   */
  static String planFailure(Statement s, String name, Set<String> columns) {
    SqlFile filled = SqlFile.load(name).fill(FILLS);
    String sql =
        io.pgvectorops.jobs.slowqueries.StatementColumns.from(columns).apply(filled.text());
    assertThat(new SqlFile(name, sql).placeholders()).as(name + " left unfilled").isEmpty();
    try {
      s.execute("EXPLAIN " + sql.replace("?", "NULL"));
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  @Test
  void everyDdlAndSessionStatementRunsOnAScratchTable() throws Exception {
    Map<String, Map<String, String>> ddl = new LinkedHashMap<>();
    ddl.put(
        "ddl/create_tier_index",
        Map.of(
            "table", "public.catalog_items",
            "method", "hnsw",
            "column", "e",
            "opclass", "vector_l2_ops",
            "tier_column", "tier",
            "tier", "1"));
    ddl.put(
        "ddl/create_tier_index#ivfflat",
        Map.of(
            "table", "public.catalog_items",
            "method", "ivfflat",
            "column", "e",
            "opclass", "vector_l2_ops",
            "tier_column", "tier",
            "tier", "2"));
    ddl.put("ddl/set_index_lists", Map.of("index", "public.catalog_items_e_idx1", "lists", "3"));
    ddl.put("ddl/reindex_index_concurrently", Map.of("index", "public.catalog_items_e_idx1"));
    ddl.put("ddl/reset_index_lists", Map.of("index", "public.catalog_items_e_idx1"));
    ddl.put("ddl/vacuum_analyze_table", Map.of("table", "public.catalog_items"));
    ddl.put("ddl/drop_index_concurrently", Map.of("index", "public.catalog_items_e_idx1"));
    ddl.put("ddl/create_trial_schema", Map.of("schema", "catalog_trial"));
    ddl.put(
        "ddl/create_trial_sample",
        Map.of(
            "sample", "catalog_trial.sample",
            "table", "public.catalog_items",
            "column", "e",
            "type", "vector(3)",
            "percent", "100",
            "rows", "50"));
    ddl.put(
        "ddl/create_trial_sample_table",
        Map.of("sample", "catalog_trial.sample_copied", "type", "vector(3)"));
    ddl.put(
        "ddl/create_trial_index",
        Map.of(
            "index", "trial_current",
            "sample", "catalog_trial.sample",
            "index_key", "v",
            "opclass", "vector_l2_ops",
            "options", "m = 16, ef_construction = 64"));
    ddl.put("ddl/drop_trial_schema", Map.of("schema", "catalog_trial"));
    List<String> ran = new ArrayList<>();
    try (Connection c = db.connect()) {
      for (var step : ddl.entrySet()) {
        SqlFile filled = SqlFile.load(step.getKey().split("#")[0]).fill(step.getValue());
        assertThat(filled.placeholders()).as(step.getKey() + " left unfilled").isEmpty();
        try (Statement s = c.createStatement()) {
          s.execute(filled.text());
        }
        if (!ran.contains(filled.name())) {
          ran.add(filled.name());
        }
      }
      assertThat(indexes(c)).contains("catalog_items_e_idx").doesNotContain("catalog_items_e_idx1");
      ran.addAll(sessionStatements(c));
    }
    assertThat(ran)
        .as("every ddl/ and session/ statement is exercised here")
        .containsExactlyInAnyOrderElementsOf(
            names(FOLDERS).stream().filter(SqlCatalogTest::utility).toList());
  }

  /** The session statements, in the transactions the daemon uses them in. */
  private static List<String> sessionStatements(Connection c) throws SQLException {
    List<String> ran = new ArrayList<>();
    run(c, ran, "session/maintenance_settings", "1000", "0", "65536", "0");
    c.setAutoCommit(false);
    run(c, ran, "session/transaction_read_only");
    run(c, ran, "session/local_statement_timeout", "1000");
    run(c, ran, "session/local_lock_timeout", "1000");
    run(c, ran, "session/savepoint_trial");
    run(c, ran, "session/local_setting", "enable_indexscan", "off");
    run(c, ran, "session/rollback_to_trial");
    c.rollback();
    run(c, ran, "session/transaction_repeatable_read_only");
    c.rollback();
    c.setAutoCommit(true);
    return ran;
  }

  private static void run(Connection c, List<String> ran, String name, String... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SqlFile.load(name).text())) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.execute();
    }
    ran.add(name);
  }

  private static List<String> indexes(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_items'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void everyStatementHasAHeaderAndOneStatement() throws Exception {
    for (String name : names(FOLDERS)) {
      String raw = Files.readString(Path.of("sql", name + ".sql")).strip();
      assertThat(raw)
          .as(name + " starts with a comment saying what it reads and its params")
          .startsWith("--");
      // a DO block's body is one statement however many it runs: its dollar quotes are left out
      String body =
          raw.replaceAll("(?m)--.*$", "").replaceAll("(?s)\\$(\\w*)\\$.*?\\$\\1\\$", "''");
      assertThat(body.split(";\\s*\\S").length).as(name + " holds one statement").isEqualTo(1);
    }
  }

  @Test
  void everyStatementIsUsedByTheCode() throws Exception {
    String code = mainCode().values().stream().collect(Collectors.joining("\n"));
    for (String name : names(FOLDERS)) {
      String folder = name.substring(0, name.indexOf('/'));
      String base = name.substring(name.indexOf('/') + 1);
      // a family of templates is loaded by folder and name ("tiering/" + name)
      boolean byFamily = code.contains("\"" + folder + "/\"") && code.contains("\"" + base + "\"");
      assertThat(code.contains("\"" + name + "\"") || byFamily)
          .as("sql/" + name + ".sql is loaded somewhere")
          .isTrue();
    }
  }

  @Test
  void everyStatementIsTaggedOnceWithItsOwnName() throws Exception {
    for (String name : names(FOLDERS)) {
      String text = SqlFile.load(name).text();
      assertThat(text.lines().findFirst()).contains("/* pgvector-ops:" + name + " */");
      // a file carrying a tag of its own (copied from another) would show twice or wrongly
      assertThat(text.split("pgvector-ops:", -1).length - 1)
          .as(name + " carries exactly one tag")
          .isEqualTo(1);
    }
  }

  /**
   * Statements are sent only at the JDBC boundary (sql/Jdbc, targets/DdlSession, the liveness lock
   * in state/Liveness), each from a named file: no statement text is built elsewhere.
   */
  @Test
  void noStatementIsSentFromOutsideTheBoundary() throws Exception {
    Set<String> boundary =
        Set.of("sql/Jdbc.java", "targets/DdlSession.java", "state/Liveness.java");
    Pattern sends =
        Pattern.compile("(prepareStatement|executeQuery|executeUpdate|createStatement)\\(");
    List<String> offenders = new ArrayList<>();
    mainCode()
        .forEach(
            (file, text) -> {
              Matcher m = sends.matcher(text);
              if (m.find() && boundary.stream().noneMatch(file::endsWith)) {
                offenders.add(file + ": " + m.group());
              }
            });
    assertThat(offenders).as("JDBC statements outside the boundary").isEmpty();
  }

  private static Map<String, String> mainCode() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> java = Files.walk(Path.of("src/main/java"))) {
      for (Path p : java.filter(p -> p.toString().endsWith(".java")).toList()) {
        out.put(p.toString(), Files.readString(p));
      }
    }
    return out;
  }
}
