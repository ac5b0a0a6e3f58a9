package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job parameters that end up in SQL, written as an attacker (or a careless copy-paste) would: each
 * is refused with an error naming the file and key, or runs with the text as a quoted name (so it
 * names nothing), and a canary table and the data survive every one.
 */
class HostileParamsTest {
  static final String DROP = "DROP TABLE canary";
  static TestPostgres.Database db;
  @TempDir static Path dir;

  @BeforeAll
  static void data() throws Exception {
    db = TestPostgres.newDatabase("hostile_params");
    db.execute("CREATE TABLE canary (id int)", "INSERT INTO canary VALUES (1)");
    Chunks.create(db, 500);
  }

  record Outcome(String job, String text) {}

  @Test
  void parametersThatBecomeSqlNeverRunAsSql() throws Exception {
    String never = "schedule: '0 0 0 1 1 ?'\n";
    Map<String, String> files = new java.util.LinkedHashMap<>();
    files.put(
        "prewarm",
        "name: prewarm\nkind: prewarm\n"
            + never
            + "params:\n  relations: [\"public.chunks_hnsw; "
            + DROP
            + "\", \"x'); "
            + DROP
            + "; --\"]\n");
    files.put(
        "rebuild",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "params:\n  indexes: [\"public.chunks_hnsw\\\"; "
            + DROP
            + "; --\"]\n");
    files.put(
        "tiering-table",
        "name: tiering-table\nkind: tiering\n"
            + never
            + "params:\n  tables:\n"
            + "    - {table: \"public.chunks; "
            + DROP
            + "\", key: id, tierColumn: tier, lastAccessColumn: last_accessed_at,\n"
            + "       vectorColumn: embedding, tiers: {hot: 0, cold: 2}, rules: [{to: cold, notAccessedFor: 60d}]}\n");
    files.put(
        "tiering-column",
        "name: tiering-column\nkind: tiering\n"
            + never
            + "params:\n  tables:\n"
            + "    - {table: public.chunks, key: \"id) FROM chunks; "
            + DROP
            + "; --\", tierColumn: tier,\n"
            + "       lastAccessColumn: last_accessed_at, vectorColumn: embedding, tiers: {hot: 0, cold: 2},\n"
            + "       rules: [{to: cold, notAccessedFor: 60d}]}\n");
    files.put(
        "regression-filter",
        "name: regression-filter\nkind: regression\n"
            + never
            + "params:\n  probes: 5\n  indexes:\n    - {index: public.chunks_hnsw, filter: \"true; "
            + DROP
            + "\"}\n");
    files.put(
        "regression-paren",
        "name: regression-paren\nkind: regression\n"
            + never
            + "params:\n  probes: 5\n  indexes:\n    - {index: public.chunks_hnsw, filter: \"true) OR (SELECT count(*) FROM canary) > 0 OR (true\"}\n");
    files.put(
        "regression-index",
        "name: regression-index\nkind: regression\n"
            + never
            + "params:\n  probes: 5\n  indexes:\n    - {index: \"public.chunks_hnsw'; "
            + DROP
            + "; --\"}\n");

    List<Outcome> outcomes = new ArrayList<>();
    for (var e : files.entrySet()) {
      Path jobs = dir.resolve(e.getKey());
      try (Components c =
          Stack.withJobs(
              db,
              "hostile_state",
              jobs,
              Map.of(
                  e.getKey() + ".yml",
                  e.getValue(),
                  "health.yml",
                  "name: health\nkind: health\n" + never))) {
        var target = c.targets.get("main").orElseThrow();
        c.runner.run(c.catalog.get("health").orElseThrow(), target, Trigger.manual, null, false);
        RunOutcome o =
            c.runner.run(
                c.catalog.get(e.getKey()).orElseThrow(), target, Trigger.manual, null, false);
        outcomes.add(
            new Outcome(
                e.getKey(), o.status() + " " + o.error() + " " + o.summary() + " " + o.findings()));
      } catch (RuntimeException refused) {
        // refused when the job files are read: the message names the file and the key
        outcomes.add(new Outcome(e.getKey(), "refused " + refused.getMessage()));
      }
      assertThat(count("SELECT count(*) FROM canary")).as(e.getKey()).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM chunks")).as(e.getKey()).isEqualTo(500);
    }
    outcomes.forEach(
        o ->
            System.out.printf(
                "%-18s %s%n",
                o.job(), o.text().length() > 300 ? o.text().substring(0, 300) + "…" : o.text()));
    for (Outcome o : outcomes) {
      // each said what was wrong: a refusal naming the file, or a run that found no such object
      assertThat(o.text())
          .as(o.job())
          .containsAnyOf("refused", "not-found", "does not exist", "must be one SQL condition");
      if (o.text().startsWith("refused")) {
        assertThat(o.text()).as(o.job()).contains(o.job() + ".yml");
      }
    }
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
