package io.pgvectorops.jobs.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IVFFlat indexes re-listed on tables, schemas and indexes whose names look like the parts of an
 * index definition ({@code lists=5}, {@code WITH (}, quotes, semicolons): each rebuilt index ends
 * on its own table with the new lists. An earlier version edited {@code pg_get_indexdef}'s text and
 * built the index of the table {@code lists=5} on the table {@code lists='1'}.
 */
@VectorSet
class RelistHostileNamesTest {
  @TempDir Path dir;

  static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** schema, table, index: the tables are created in this order, so a wrong target is likely. */
  static final List<String[]> OBJECTS =
      List.of(
          new String[] {"public", "lists=5", "lists=5_ivf"},
          new String[] {"public", "lists='1'", "lists='1' ivf"},
          new String[] {
            "WITH (lists = 3)", "t ) WITH (lists='9'); --", "i\"; DROP TABLE canary; --"
          },
          new String[] {"Ünï cødé", "表 lists=7", "索引 USING ivfflat"});

  @Test
  void everyRelistedIndexEndsOnItsOwnTableWithTheNewLists() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("relist_hostile");
    List<String> setup =
        new ArrayList<>(List.of("SELECT setseed(0.5)", "CREATE TABLE canary (id int)"));
    for (String[] o : OBJECTS) {
      if (!o[0].equals("public")) {
        setup.add("CREATE SCHEMA IF NOT EXISTS " + q(o[0]));
      }
      String table = q(o[0]) + "." + q(o[1]);
      setup.add("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, e vector(4))");
      setup.add("INSERT INTO " + table + " (e) SELECT rv(4) FROM generate_series(1, 6000)");
      setup.add(
          "CREATE INDEX "
              + q(o[2])
              + " ON "
              + table
              + " USING ivfflat (e vector_l2_ops) WITH (lists = 1)");
      setup.add("ANALYZE " + table);
    }
    db.execute(setup.toArray(String[]::new));
    try (Components c =
        Stack.withJobs(
            db,
            "relist_hostile_state",
            dir,
            Map.of(
                "relist.yml",
                "name: relist\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
                    + "params:\n  minBloatRatio: 0.99\n  relistIvfflat: true\n  minRowsForRelist: 1000\n"
                    + "  maxIndexesPerRun: 10\n  lockTimeout: 2s\n  oldTransaction: 5s\n"))) {
      RunOutcome o =
          c.runner.run(
              c.catalog.get("relist").orElseThrow(),
              c.targets.get("main").orElseThrow(),
              Trigger.manual,
              null,
              false);
      assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
      assertThat(Summaries.of(o).get("rebuilt").toString()).contains("is 6");
    }
    try (Connection conn = db.connect();
        PreparedStatement s =
            conn.prepareStatement(
                "SELECT t.relname, n.nspname, array_to_string(i.reloptions, ','), ix.indisvalid"
                    + " FROM pg_class i JOIN pg_index ix ON ix.indexrelid = i.oid"
                    + " JOIN pg_class t ON t.oid = ix.indrelid"
                    + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                    + " JOIN pg_am am ON am.oid = i.relam AND am.amname = 'ivfflat'"
                    + " WHERE i.relname = ?")) {
      for (String[] o : OBJECTS) {
        s.setString(1, o[2]);
        try (ResultSet rs = s.executeQuery()) {
          assertThat(rs.next()).as("index " + o[2] + " exists").isTrue();
          assertThat(rs.getString(1)).as("table of " + o[2]).isEqualTo(o[1]);
          assertThat(rs.getString(2)).as("schema of " + o[2]).isEqualTo(o[0]);
          assertThat(rs.getString(3)).as("options of " + o[2]).isEqualTo("lists=6");
          assertThat(rs.getBoolean(4)).as(o[2] + " valid").isTrue();
          assertThat(rs.next()).as("one index named " + o[2]).isFalse();
        }
      }
    }
    assertThat(db.queryLong("SELECT count(*) FROM canary")).isZero();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid"
                    + " JOIN pg_am am ON am.oid = i.relam AND am.amname = 'ivfflat'"))
        .as("one IVFFlat index per table, no leftover")
        .isEqualTo(OBJECTS.size());
  }
}
