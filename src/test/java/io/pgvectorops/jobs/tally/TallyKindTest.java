package io.pgvectorops.jobs.tally;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.testing.InProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A kind that keeps data is one package plus one line: the tally kind (this package) brings its
 * table, its route and its metric, and the daemon below runs it with nothing else changed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TallyKindTest {
  /** The daemon with the tally kind registered: the one line a new kind adds. */
  public static final class WithTally extends PgvectorOpsApplication {
    public WithTally() {
      super(Clock.systemUTC(), kinds());
    }

    static List<JobKind> kinds() {
      return Stream.concat(JobKinds.AVAILABLE.stream(), Stream.of(TallyJob.KIND)).toList();
    }
  }

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final InProcess.Setup SETUP = InProcess.setup("tally", "");

  static {
    try {
      Files.writeString(
          SETUP.dir().resolve("jobs/tally.yml"),
          "name: tally\nkind: tally\nschedule: '* * * * * ?'\nparams:\n  note: counted\n");
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final DropwizardAppExtension<OpsConfiguration> APP =
      new DropwizardAppExtension<>(
          WithTally.class,
          SETUP.dir().resolve("config.yml").toString(),
          ConfigOverride.config("jobsDirectory", SETUP.dir().resolve("jobs").toString()));

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void itsTableRouteAndMetricWorkWithNothingElseChanged() throws Exception {
    JsonNode count =
        await("a tally run counted")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> MAPPER.readTree(get(APP.getLocalPort(), "/api/tally/main").body()),
                n -> n.path("runs").asLong() >= 2);
    assertThat(count.get("target").asText()).isEqualTo("main");

    // its own table, beside its own migration history, in the state schema
    assertThat(
            SETUP
                .db()
                .queryLong(
                    "SELECT count(*) FROM tally_state.tally_runs WHERE target = 'main' AND runs >= 2"))
        .isEqualTo(1);
    assertThat(
            SETUP
                .db()
                .queryString(
                    "SELECT description FROM tally_state.tally_schema_history WHERE version = '1'"))
        .isEqualTo("tally runs");

    String metrics = get(APP.getAdminPort(), "/metrics/prometheus").body();
    assertThat(metrics).containsPattern("pgvector_ops_tally_runs\\{target=\"main\"} [0-9]");

    // the run's summary is the kind's record; an unknown target is the API's usual 404
    assertThat(get(APP.getLocalPort(), "/api/tally/nowhere").statusCode()).isEqualTo(404);
    String runs = get(APP.getLocalPort(), "/api/jobs/tally/runs").body();
    assertThat(runs).contains("\"note\":\"counted\"");
    // and the dashboard is told how to show it: the layout of the record the kind declared
    JsonNode run = MAPPER.readTree(runs).get(0);
    JsonNode layout =
        MAPPER
            .readTree(get(APP.getLocalPort(), "/api/runs/" + run.get("id").asLong()).body())
            .get("summaryLayout");
    assertThat(layout.get("fields"))
        .extracting(f -> f.get("key").asText() + ":" + f.get("unit").asText())
        .containsExactly("target:text", "runs:count", "note:text");
  }

  /**
   * The kind is self-contained: its classes use the job contract and the layers below it, never the
   * chassis above (scheduler, API, wiring) nor another kind.
   */
  @Test
  void itUsesOnlyTheContract() {
    noClasses()
        .that()
        .resideInAPackage("io.pgvectorops.jobs.tally")
        .and()
        .haveSimpleNameNotEndingWith("Test")
        .and()
        .doNotHaveSimpleName("WithTally")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage(
                    "io.pgvectorops.kinds..",
                    "io.pgvectorops.scheduler..",
                    "io.pgvectorops.alert..",
                    "io.pgvectorops.api..",
                    "io.pgvectorops.wiring..",
                    "io.pgvectorops.cli..")
                .or(
                    resideInAPackage("io.pgvectorops.jobs.*..")
                        .and(not(resideInAPackage("io.pgvectorops.jobs.tally..")))))
        .check(new ClassFileImporter().importPackages("io.pgvectorops.jobs.tally"));
  }
}
