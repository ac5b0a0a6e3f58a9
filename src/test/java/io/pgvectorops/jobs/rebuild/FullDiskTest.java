package io.pgvectorops.jobs.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk filling up in the middle of a REINDEX INDEX CONCURRENTLY, the fault that most often
 * breaks one in production: the table and its HNSW index live in a tablespace on a small tmpfs,
 * which the test fills while the new copy is being built. Needs root (mount); where mounting is
 * impossible the test is reported skipped, saying so.
 */
@Slow
class FullDiskTest {
  @TempDir Path dir;
  private Path mount;

  @BeforeEach
  void smallDisk() throws Exception {
    mount = Files.createTempDirectory("pgvector-ops-small-disk-");
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    Assumptions.assumeTrue(
        p.waitFor() == 0,
        "skipped: mounting a small tmpfs needs root and a mount-capable machine ("
            + out.strip()
            + ")");
    sh("mkdir", mount.resolve("ts").toString());
    sh("chown", "postgres:postgres", mount.resolve("ts").toString());
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
    }
  }

  private static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @Test
  void aDiskFullDuringTheBuildFailsTheRunAndLosesNothing() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("full_disk");
    String ts = "small_" + Math.abs(mount.getFileName().toString().hashCode());
    db.execute(
        "CREATE TABLESPACE " + ts + " LOCATION '" + mount.resolve("ts") + "'",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(64)) TABLESPACE " + ts,
        "INSERT INTO items (e) SELECT rv(64) FROM generate_series(1, 20000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops) TABLESPACE " + ts,
        "ANALYZE items");
    String job =
        "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
            + "params: {indexes: [public.items_hnsw], vacuumAfter: false}\n";
    Path filler = mount.resolve("filler");
    try (Components c = Stack.withJobs(db, "full_disk_state", dir, Map.of("rebuild.yml", job))) {
      // before the build: the free space is read on this machine and the rebuild fits
      CompletableFuture<RunOutcome> rebuild =
          CompletableFuture.supplyAsync(() -> Stack.runNow(c, "rebuild"));
      org.awaitility.Awaitility.await("the new copy being built")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  rebuild.isDone()
                      || db.queryLong(
                              "SELECT count(*) FROM pg_stat_progress_create_index"
                                  + " WHERE phase LIKE 'building%'")
                          > 0);
      // another writer takes the rest of the disk
      new ProcessBuilder("dd", "if=/dev/zero", "of=" + filler, "bs=1M").start().waitFor();
      RunOutcome o = rebuild.get();
      System.out.printf("the run: %s, %s%n", o.status(), o.error());
      assertThat(o.status()).isEqualTo(RunStatus.failed);
      assertThat(o.error())
          .contains("public.items_hnsw")
          .containsIgnoringCase("No space left on device");
      assertThat(Summaries.of(o).get("freeSpace").toString()).contains("MiB free in");
      assertThat(o.findings())
          .anySatisfy(
              f -> {
                assertThat(f.kind()).isEqualTo("rebuild-failed");
                assertThat(f.object()).isEqualTo("public.items_hnsw");
                assertThat(f.severity()).isEqualTo(Finding.Severity.warning);
              });
      // the original index is valid and serves queries; no row is lost
      assertThat(db.queryLong("SELECT count(*) FROM items")).isEqualTo(20000);
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM pg_index WHERE indexrelid = 'items_hnsw'::regclass"
                      + " AND indisvalid"))
          .isEqualTo(1);

      // still full: the next run does not start a build that cannot fit
      RunOutcome full = Stack.runNow(c, "rebuild");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> postponed =
          (List<Map<String, Object>>) Summaries.of(full).get("postponed");
      assertThat(postponed)
          .singleElement()
          .satisfies(p -> assertThat(p.get("reason").toString()).contains("MiB are free in"));

      // space back: any _ccnew left is gone, the rebuild succeeds, nothing invalid remains
      Files.delete(filler);
      RunOutcome again = Stack.runNow(c, "rebuild");
      assertThat(again.status()).as(String.valueOf(again.error())).isEqualTo(RunStatus.succeeded);
      assertThat(
              db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'items_hnsw_ccnew%'"))
          .isZero();
      assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
      assertThat(db.queryLong("SELECT count(*) FROM items")).isEqualTo(20000);
    } finally {
      db.execute("DROP TABLE IF EXISTS items");
      db.execute("DROP TABLESPACE IF EXISTS " + ts);
    }
  }
}
