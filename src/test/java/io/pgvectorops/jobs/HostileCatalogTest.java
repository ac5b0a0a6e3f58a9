package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema, table, column and index whose names hold quotes, semicolons, dollar signs, unicode and
 * run to PostgreSQL's 63-byte limit: every job kind that reads or changes them works on exactly
 * those objects, and a canary table survives.
 */
@VectorSet
class HostileCatalogTest {
  // 63 bytes each: the longest names PostgreSQL keeps
  static final String SCHEMA = pad("Ünïcødé \"sch\"; DROP TABLE canary; --");
  static final String TABLE = pad("tbl'); DROP TABLE canary; $$ 表");
  static final String COLUMN = pad("émbedding \" ;");
  static final String INDEX = pad("idx\"; DROP TABLE canary; -- ✓");

  @TempDir Path dir;

  static String pad(String s) {
    StringBuilder b = new StringBuilder(s);
    while (b.toString().getBytes(StandardCharsets.UTF_8).length < 63) {
      b.append('x');
    }
    assertThat(b.toString().getBytes(StandardCharsets.UTF_8)).hasSize(63);
    return b.toString();
  }

  static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String yaml(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void everyJobKindWorksOnNamesAtTheLimitsOfWhatPostgresAccepts() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("hostile_catalog");
    String table = q(SCHEMA) + "." + q(TABLE);
    db.execute(
        "CREATE TABLE canary (id int)",
        "CREATE SCHEMA " + q(SCHEMA),
        "CREATE TABLE "
            + table
            + " (id bigserial PRIMARY KEY, "
            + q(COLUMN)
            + " vector(8), tier int NOT NULL DEFAULT 0,"
            + " last_accessed_at timestamptz NOT NULL DEFAULT now() - interval '90 days')",
        "INSERT INTO " + table + " (" + q(COLUMN) + ") SELECT rv(8) FROM generate_series(1, 3000)",
        "CREATE INDEX "
            + q(INDEX)
            + " ON "
            + table
            + " USING hnsw ("
            + q(COLUMN)
            + " vector_l2_ops)",
        "ANALYZE " + table);
    String qualifiedIndex = SCHEMA + "." + INDEX;
    String never = "schedule: '0 0 0 1 1 ?'\n";
    Map<String, String> jobs = new LinkedHashMap<>();
    jobs.put("health.yml", "name: health\nkind: health\n" + never);
    jobs.put("bloat.yml", "name: bloat\nkind: bloat\n" + never);
    jobs.put("prewarm.yml", "name: prewarm\nkind: prewarm\n" + never);
    jobs.put(
        "regression.yml",
        "name: regression\nkind: regression\n"
            + never
            + "params:\n  probes: 10\n  indexes:\n"
            + "    - {index: "
            + yaml(qualifiedIndex)
            + ", filter: "
            + yaml(q(COLUMN) + " IS NOT NULL AND tier = 0")
            + "}\n");
    jobs.put(
        "rebuild.yml",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "params:\n  indexes: ["
            + yaml(qualifiedIndex)
            + "]\n");
    jobs.put(
        "tiering.yml",
        "name: tiering\nkind: tiering\n"
            + never
            + "params:\n  tables:\n    - table: "
            + yaml(SCHEMA + "." + TABLE)
            + "\n      key: id\n      tierColumn: tier\n      lastAccessColumn: last_accessed_at\n"
            + "      vectorColumn: "
            + yaml(COLUMN)
            + "\n      tiers: {hot: 0, cold: 2}\n"
            + "      rules: [{to: cold, notAccessedFor: 60d}]\n");
    try (Components c = Stack.withJobs(db, "hostile_catalog_state", dir, jobs)) {
      var target = c.targets.get("main").orElseThrow();
      Map<String, RunOutcome> outcomes = new LinkedHashMap<>();
      for (String job : List.of("health", "bloat", "prewarm", "regression", "rebuild", "tiering")) {
        RunOutcome o =
            c.runner.run(c.catalog.get(job).orElseThrow(), target, Trigger.manual, null, false);
        outcomes.put(job, o);
        System.out.printf("%-11s %-10s %s%n", job, o.status(), o.error() == null ? "" : o.error());
        assertThat(o.status())
            .as(job + ": " + o.error() + " " + o.summary())
            .isEqualTo(io.pgvectorops.jobs.RunStatus.succeeded);
      }
      VectorIndex seen = c.inventory.indexes("main").get(0);
      assertThat(seen.schema()).isEqualTo(SCHEMA);
      assertThat(seen.name()).isEqualTo(INDEX);
      assertThat(seen.table()).isEqualTo(TABLE);
      assertThat(seen.column()).isEqualTo(COLUMN);
      assertThat(seen.bloat()).isNotNull();
      assertThat(seen.residency()).isNotNull();
      assertThat(outcomes.get("regression").summary().toString()).contains("recall=");
      assertThat(Summaries.of(outcomes.get("rebuild")).get("rebuilt").toString()).contains(INDEX);
      assertThat(db.queryLong("SELECT count(*) FROM " + table + " WHERE tier = 2")).isEqualTo(3000);
      assertThat(db.queryLong("SELECT count(*) FROM canary")).isZero();
      assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
    }
  }
}
