package io.pgvectorops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege role of docs/operations.md: a login role with pg_monitor only, on a table
 * another role owns. `check` names every grant each job kind still lacks, as the statement to run;
 * after exactly those grants `check` is clean and every job kind runs with the role.
 */
@Slow
class LeastPrivilegeTest {
  @TempDir Path dir;

  @Test
  void checkNamesEachMissingGrantAndTheReadmeRoleRunsEveryKind() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("least");
    String role = "ops_least_" + db.name().replaceAll("\\D", "");
    String owner = "app_owner_" + db.name().replaceAll("\\D", "");
    db.execute(
        "CREATE ROLE " + owner + " NOLOGIN",
        "CREATE ROLE " + role + " LOGIN",
        // README "Database role and grants": the part every kind needs
        "GRANT pg_monitor TO " + role);
    Chunks.create(db, 2000);
    db.execute("ALTER TABLE chunks OWNER TO " + owner);
    OpsFiles f = new OpsFiles(dir);
    String target = "  - name: main\n    url: " + db.url() + "\n    user: " + role + "\n";
    f.writeConfig(target, OpsFiles.state(db, "least_state") + "scheduler:\n  name: least\n");
    String never = "schedule: '0 0 0 1 1 ?'\n";
    Map<String, String> jobs =
        Map.of(
            "health", "kind: health\n",
            "bloat", "kind: bloat\n",
            "slow-queries", "kind: slow-queries\n",
            "prewarm", "kind: prewarm\n",
            "regression", "kind: regression\nparams: {probes: 10}\n",
            "capacity", "kind: capacity\n",
            // sql-check needs whatever its query reads: here the table, as regression does
            "vector-rows",
                "kind: sql-check\nparams:\n  query: \"SELECT id AS n FROM chunks WHERE"
                    + " embedding IS NULL\"\n  key: n\n",
            "rebuild",
                "kind: index-rebuild\nparams: {indexes: [public.chunks_hnsw], vacuumAfter: false}\n",
            "tiering", "kind: tiering\nparams:\n  tables:\n" + Chunks.TIERING_TABLE);
    jobs.forEach((name, yaml) -> f.job(name + ".yml", "name: " + name + "\n" + never + yaml));

    Daemon.Result before = Daemon.run(dir, Map.of(), "check", f.config().toString());
    String out = before.stdout();
    assertThat(before.exitCode()).as(out + before.stderr()).isEqualTo(1);
    String table = "\"public\".\"chunks\"";
    assertThat(out)
        .contains("GRANT SELECT ON " + table + " TO \"" + role + "\";")
        .contains("GRANT SELECT, UPDATE ON " + table + " TO \"" + role + "\";")
        .contains("cannot REINDEX public.chunks_hnsw: role " + role + " does not own table chunks");

    // exactly what check asked for (README: tiering UPDATE, regression/prewarm SELECT, rebuild
    // ownership)
    db.execute("GRANT SELECT, UPDATE ON chunks TO " + role, "GRANT " + owner + " TO " + role);
    Daemon.Result after = Daemon.run(dir, Map.of(), "check", f.config().toString());
    assertThat(after.stdout()).doesNotContain("privilege-missing").doesNotContain("GRANT");
    assertThat(after.exitCode()).as(after.stdout() + after.stderr()).isZero();
    // every job configured above, each kind once
    for (String job : jobs.keySet()) {
      Daemon.Result r = Daemon.run(dir, Map.of(), "run", job, f.config().toString());
      assertThat(r.exitCode()).as(job + ": " + r.stdout() + r.stderr()).isZero();
    }
    assertThat(
            db.connect()
                .createStatement()
                .executeQuery("SELECT count(*) FROM chunks WHERE tier = 2"))
        .satisfies(
            rs -> {
              rs.next();
              assertThat(rs.getLong(1)).isEqualTo(2000);
            });
  }

  /**
   * A bare login role (CONNECT only, the grants table's row for health): health and capacity run;
   * what slow-queries lacks is named as grants, one line per missing grant, not as an unreachable
   * server (shared_preload_libraries is a setting such a role may not read).
   */
  @Test
  void aRoleWithOnlyConnectRunsHealthAndIsToldEachGrantAJobLacks() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("bare");
    String role = "ops_bare_" + db.name().replaceAll("\\D", "");
    db.execute("CREATE ROLE " + role + " LOGIN");
    Chunks.create(db, 500);
    OpsFiles f = new OpsFiles(dir);
    String target = "  - name: main\n    url: " + db.url() + "\n    user: " + role + "\n";
    f.writeConfig(target, OpsFiles.state(db, "bare_state") + "scheduler:\n  name: bare\n");
    String never = "schedule: '0 0 0 1 1 ?'\n";
    f.job("health.yml", "name: health\n" + never + "kind: health\n");
    f.job("capacity.yml", "name: capacity\n" + never + "kind: capacity\n");

    Daemon.Result clean = Daemon.run(dir, Map.of(), "check", f.config().toString());
    assertThat(clean.stdout()).doesNotContain("UNREACHABLE").contains("role " + role);
    assertThat(clean.exitCode()).as(clean.stdout() + clean.stderr()).isZero();
    for (String job : List.of("health", "capacity")) {
      Daemon.Result r = Daemon.run(dir, Map.of(), "run", job, f.config().toString());
      assertThat(r.exitCode()).as(job + ": " + r.stdout() + r.stderr()).isZero();
    }

    f.job("slow-queries.yml", "name: slow-queries\n" + never + "kind: slow-queries\n");
    Daemon.Result lacking = Daemon.run(dir, Map.of(), "check", f.config().toString());
    assertThat(lacking.exitCode()).as(lacking.stdout() + lacking.stderr()).isEqualTo(1);
    assertThat(lacking.stdout())
        .doesNotContain("UNREACHABLE")
        .contains("GRANT pg_read_all_stats TO " + role + ";")
        .contains("GRANT pg_read_all_settings TO \"" + role + "\";");
  }
}
