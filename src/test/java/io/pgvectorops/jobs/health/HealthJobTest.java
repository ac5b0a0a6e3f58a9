package io.pgvectorops.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@VectorSet
class HealthJobTest {
  /** Findings about the installed PostgreSQL and pgvector, which differ per server line. */
  private static final List<String> ABOUT_THE_SOFTWARE =
      List.of("pgvector-advisory", "postgresql-end-of-life");

  static TestPostgres.Database db;
  static Components c;
  static JobDefinition health;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("health");
    db.execute(
        "CREATE SCHEMA \"Odd Schema\"",
        "CREATE TABLE \"Odd Schema\".\"Docs; drop\" (id bigserial PRIMARY KEY, e vector(16), h halfvec(16))",
        "INSERT INTO \"Odd Schema\".\"Docs; drop\" (e, h) SELECT v::vector, v::halfvec FROM"
            + " (SELECT array_fill(random()::real, ARRAY[16]) AS v FROM generate_series(1, 300)) s",
        "CREATE INDEX \"idx'quote\" ON \"Odd Schema\".\"Docs; drop\" USING hnsw (e vector_ip_ops) WITH (m = 8)",
        "CREATE INDEX half_idx ON \"Odd Schema\".\"Docs; drop\" USING hnsw (h halfvec_l2_ops)",
        "CREATE INDEX ivf_idx ON \"Odd Schema\".\"Docs; drop\" USING ivfflat (e vector_cosine_ops) WITH (lists = 3)",
        "CREATE INDEX btree_idx ON \"Odd Schema\".\"Docs; drop\" (id)",
        "ANALYZE \"Odd Schema\".\"Docs; drop\"");
    c =
        Stack.withJobs(
            db,
            "health_state",
            dir,
            Map.of("health.yml", "name: health\nkind: health\nschedule: '0 * * * * ?'\n"));
    health = c.catalog.get("health").orElseThrow();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  private RunOutcome runHealth() {
    return c.runner.run(health, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
  }

  @Test
  void inventoryListsEveryVectorIndexWithTypeDimensionsAndOptions() {
    assertThat(runHealth().status()).isEqualTo(RunStatus.succeeded);
    Map<String, VectorIndex> byName =
        c.inventory.indexes("main").stream().collect(Collectors.toMap(VectorIndex::name, i -> i));
    assertThat(byName).containsOnlyKeys("idx'quote", "half_idx", "ivf_idx");
    VectorIndex quoted = byName.get("idx'quote");
    assertThat(quoted.schema()).isEqualTo("Odd Schema");
    assertThat(quoted.table()).isEqualTo("Docs; drop");
    assertThat(quoted.opclass()).isEqualTo("vector_ip_ops");
    assertThat(quoted.options()).containsEntry("m", "8");
    assertThat(quoted.dimensions()).isEqualTo(16);
    assertThat(quoted.rows()).isEqualTo(300);
    assertThat(byName.get("half_idx").columnType()).isEqualTo("halfvec(16)");
    assertThat(byName.get("half_idx").options()).isEmpty();
    assertThat(byName.get("ivf_idx").method()).isEqualTo("ivfflat");
    assertThat(byName.values()).allSatisfy(i -> assertThat(i.sizeBytes()).isPositive());
    var snapshot = c.inventory.snapshots().get(0);
    assertThat(snapshot.reachable()).isTrue();
    assertThat(snapshot.pgvectorVersion()).isNotBlank();
    assertThat(snapshot.extensions().get("pg_stat_statements").get("preloaded").asBoolean())
        .isTrue();
  }

  @Test
  void anInvalidVectorIndexIsCriticalUntilItIsValidAgain() throws Exception {
    // what a failed CREATE INDEX CONCURRENTLY leaves behind
    db.execute(
        "UPDATE pg_index SET indisvalid = false WHERE indexrelid = '\"Odd Schema\".ivf_idx'::regclass");
    runHealth();
    // the installed pgvector's advisories may be open too (AdvisoryHealthTest), and on a major past
    // its support (13) its end-of-life warning: this is about the index
    List<FindingRecord> open =
        c.findings.list(true, "main", "health", 20).stream()
            .filter(f -> !ABOUT_THE_SOFTWARE.contains(f.kind()))
            .toList();
    assertThat(open)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("invalid-index");
              assertThat(f.severity()).isEqualTo("critical");
              assertThat(f.object()).isEqualTo("Odd Schema.ivf_idx");
            });
    db.execute(
        "UPDATE pg_index SET indisvalid = true WHERE indexrelid = '\"Odd Schema\".ivf_idx'::regclass");
    runHealth();
    // whatever the installed software's findings are, nothing else is open
    assertThat(c.findings.list(true, "main", "health", 20))
        .extracting(FindingRecord::kind)
        .allMatch(ABOUT_THE_SOFTWARE::contains);
    assertThat(c.findings.list(false, "main", "health", 10))
        .extracting(FindingRecord::kind)
        .contains("invalid-index");
  }
}
