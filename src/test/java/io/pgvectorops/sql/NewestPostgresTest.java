package io.pgvectorops.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.OwnCluster;
import io.pgvectorops.testing.PgBinaries;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newest PostgreSQL major (18, Debian unstable's, in the root bin/setup-debian-root sid makes)
 * in a database without pgvector: the state schema migrates on it, every probe and store statement
 * plans on it (none needs pgvector to plan: the catalogue query takes the access methods as a
 * parameter), and the kinds that need no pgvector run on it, slow-queries twice so that it judges
 * pg_stat_statements 1.12's columns against a baseline. The vector set runs on 18 with pgvector as
 * a whole (the vector-set executions in pom.xml).
 */
@Slow
class NewestPostgresTest {
  @TempDir Path dir;

  @Test
  void probesStoreStatementsAndTheKindsWithoutPgvectorWorkOnPostgres18() throws Exception {
    try (OwnCluster cluster = OwnCluster.start(PgBinaries.debianRoot("sid"))) {
      TestPostgres.Database db = cluster.newDatabaseWithoutVector("newest");
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.execute("SELECT current_setting('server_version_num')");
        var rs = s.getResultSet();
        rs.next();
        assertThat(rs.getInt(1) / 10000).isEqualTo(18);
      }
      Path jobs = dir.resolve("jobs");
      Files.createDirectories(jobs);
      Files.writeString(
          jobs.resolve("health.yml"), "name: health\nkind: health\nschedule: '0 0 * * * ?'\n");
      Files.writeString(
          jobs.resolve("slow.yml"), "name: slow\nkind: slow-queries\nschedule: '0 0 * * * ?'\n");
      for (String shipped :
          List.of("vector-columns-without-dimensions.yml", "vector-tables-without-ann-index.yml")) {
        Files.writeString(jobs.resolve(shipped), Stack.shippedJob(shipped));
      }
      // the state schema on 18 too: Flyway migrates it, and the store statements plan on it
      try (Components comp =
          Stack.open(Stack.config(db, "pgvector_ops", jobs), java.time.Clock.systemUTC())) {
        comp.liveness.ensureHeld();
        for (String job :
            List.of(
                "health",
                "slow",
                "slow",
                "vector-columns-without-dimensions",
                "vector-tables-without-ann-index")) {
          RunOutcome o = Stack.runNow(comp, job);
          System.out.printf("on 18: %s %s %s%n", job, o.status(), o.summary());
          assertThat(o.status()).as(job + ": " + o.error()).isEqualTo(RunStatus.succeeded);
        }
      }
      List<String> planned = new ArrayList<>();
      List<String> broken = new ArrayList<>();
      try (Connection c = db.connect();
          Statement s = c.createStatement()) {
        s.execute("SET search_path = pgvector_ops, public");
        s.execute("CREATE TABLE public.catalog_items (id int PRIMARY KEY, tier int, e real[])");
        Set<String> columns = SqlCatalogTest.statementColumns(s);
        for (String name : SqlCatalogTest.names(List.of("probes", "store"))) {
          String failure = SqlCatalogTest.planFailure(s, name, columns);
          if (failure == null) {
            planned.add(name);
          } else {
            broken.add(name + ": " + failure);
          }
        }
      }
      System.out.printf("on 18: %d statements plan%n", planned.size());
      assertThat(broken).isEmpty();
      assertThat(planned).hasSizeGreaterThan(100);
    }
  }
}
