package io.pgvectorops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL catalogue itself: every statement under sql/probes and sql/store has a header, plans on a
 * real server (EXPLAIN with NULL for each parameter), and is used by the code.
 */
class SqlCatalogTest {
  static TestPostgres.Database db;
  @TempDir static Path dir;

  @BeforeAll
  static void stateSchema() throws Exception {
    db = TestPostgres.newDatabase("catalog");
    try (Components c =
        Stack.open(Stack.config(db, "pgvector_ops", dir.resolve("jobs")), Clock.systemUTC())) {
      // migrated: the store statements can be planned against real tables
    }
  }

  static List<String> names() throws Exception {
    try (Stream<Path> files =
        Stream.concat(Files.list(Path.of("sql/probes")), Files.list(Path.of("sql/store")))) {
      return files
          .map(
              p ->
                  p.getParent().getFileName()
                      + "/"
                      + p.getFileName().toString().replace(".sql", ""))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void everyStatementPlans() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path = pgvector_ops, public");
      java.util.Set<String> columns = new java.util.HashSet<>();
      try (ResultSet rs =
          s.executeQuery(SqlFile.load("probes/pg_stat_statements_columns").text())) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      for (String name : names()) {
        // the one template in the catalogue: planned with this server's column mapping, as the job
        // does
        String sql =
            io.pgvectorops.jobs.slowqueries.StatementColumns.from(columns)
                .apply(SqlFile.load(name).text())
                .replace("?", "NULL");
        assertThat(sql).as(name + " has no placeholder left").doesNotContain("{total_time}");
        try {
          s.execute("EXPLAIN " + sql);
        } catch (java.sql.SQLException e) {
          throw new AssertionError("sql/" + name + ".sql does not plan: " + e.getMessage(), e);
        }
      }
    }
  }

  @Test
  void everyStatementHasAHeaderAndOneStatement() throws Exception {
    for (String name : names()) {
      String raw = Files.readString(Path.of("sql", name + ".sql")).strip();
      assertThat(raw)
          .as(name + " starts with a comment saying what it reads and its params")
          .startsWith("--");
      String body = raw.replaceAll("(?m)--.*$", "");
      assertThat(body.split(";\\s*\\S").length).as(name + " holds one statement").isEqualTo(1);
    }
  }

  @Test
  void everyStatementIsUsedByTheCode() throws Exception {
    String code;
    try (Stream<Path> java = Files.walk(Path.of("src/main/java"))) {
      code =
          java.filter(p -> p.toString().endsWith(".java"))
              .map(
                  p -> {
                    try {
                      return Files.readString(p);
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.joining("\n"));
    }
    for (String name : names()) {
      assertThat(code).as("sql/" + name + ".sql is loaded somewhere").contains("\"" + name + "\"");
    }
  }

  @Test
  void everyStatementIsTaggedForPgStatActivity() throws Exception {
    for (String name : names()) {
      assertThat(SqlFile.load(name).text()).startsWith("/* pgvector-ops:" + name + " */");
    }
  }
}
