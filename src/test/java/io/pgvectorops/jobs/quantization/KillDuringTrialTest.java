package io.pgvectorops.jobs.quantization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon killed with kill -9 while the quantization-trial builds a shape in its scratch schema:
 * nothing in the daemon can drop the schema then. After a restart the next trial drops the leftover
 * first, runs, and leaves nothing behind.
 */
@Slow
class KillDuringTrialTest {
  static final String TOKEN = "kill-trial-token-0123456789";

  @TempDir Path dir;

  @Test
  void theNextRunDropsWhatAKilledRunLeft() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("kill_trial");
    db.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(384))",
        "INSERT INTO docs (e) SELECT rv(384) FROM generate_series(1, 20000)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (e vector_l2_ops)",
        "ANALYZE docs");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "kill_trial_state")
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: kill-trial\n");
    int port = f.pinFreePorts();
    ApiClient api = new ApiClient("http://127.0.0.1:" + port, TOKEN);
    String job = "name: trial\nkind: quantization-trial\nschedule: '0 0 0 1 1 ?'\nparams:\n";
    // three quarters of the table: each build takes seconds, long enough to be killed in the middle
    f.job("trial.yml", job + "  index: public.docs_hnsw\n  sampleRows: 15000\n  probes: 10\n");
    try (Daemon first = Daemon.start(dir, "first", f.config())) {
      first.awaitApi(port);
      api.runNow("trial");
      Awaitility.await("a trial build in the scratch schema")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class c"
                              + " ON c.oid = p.relid JOIN pg_namespace n ON n.oid ="
                              + " c.relnamespace WHERE n.nspname = 'pgvector_ops_trial'")
                      > 0);
      first.kill9();
    }
    // the build whose client died is cut short, as client_connection_check_interval would
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE"
            + " '%pgvector-ops:ddl/create_trial_index%' AND pid <> pg_backend_pid()");
    assertThat(
            db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgvector_ops_trial'"))
        .as("the killed run left its scratch schema")
        .isEqualTo(1);

    f.job("trial.yml", job + "  index: public.docs_hnsw\n  sampleRows: 1000\n  probes: 10\n");
    try (Daemon second = Daemon.start(dir, "second", f.config())) {
      second.awaitApi(port);
      JsonNode run = api.awaitEnd(api.runNow("trial"));
      assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
      assertThat(run.get("summary").get("leftoverDropped").asBoolean()).isTrue();
      assertThat(run.get("summary").get("shapes")).hasSize(3);
    }
    assertThat(
            db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'pgvector_ops_trial'"))
        .isZero();
    assertThat(db.queryLong("SELECT count(*) FROM docs")).isEqualTo(20000);
  }
}
