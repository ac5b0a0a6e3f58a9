package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.jobfiles.HashedCron;
import io.pgvectorops.testing.InProcess;
import io.pgvectorops.testing.OpsFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.CronExpression;

/**
 * {@code GET /api/jobs/{name}}: with H tokens every job-target pair fires at its own time, and the
 * answer lists each target's, as Quartz computes it from the pair's own expansion of the schedule.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JobScheduleTest {
  static final String SCHEDULE = "H H * * * ?";
  static final InProcess.Setup SETUP =
      InProcess.setup(
          "jobschedule", OpsFiles.deadTarget("other"), "scheduler:\n  name: jobschedule-test\n");

  static {
    try {
      Files.writeString(
          SETUP.dir().resolve("jobs/hashed.yml"),
          "name: hashed\nkind: health\nschedule: '" + SCHEDULE + "'\n");
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final DropwizardAppExtension<OpsConfiguration> APP = InProcess.daemon(SETUP.dir());

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** When Quartz fires this pair next: its own expansion of the H tokens, in UTC. */
  private static Instant expected(String target, Instant after) throws Exception {
    CronExpression cron = new CronExpression(HashedCron.expand(SCHEDULE, "hashed@" + target));
    cron.setTimeZone(TimeZone.getTimeZone("UTC"));
    return cron.getNextValidTimeAfter(Date.from(after)).toInstant();
  }

  @Test
  void eachTargetHasItsOwnNextFireTime() throws Exception {
    Instant before = Instant.now();
    HttpResponse<String> r = get("/api/jobs/hashed");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode job = new ObjectMapper().readTree(r.body());
    // the list's fields, unchanged, and one entry per target
    assertThat(job.get("schedule").asText()).isEqualTo(SCHEDULE);
    assertThat(job.get("kind").asText()).isEqualTo("health");
    JsonNode perTarget = job.get("perTarget");
    assertThat(perTarget).hasSize(2);
    Instant earliest = null;
    for (JsonNode t : perTarget) {
      String target = t.get("target").asText();
      Instant next = Instant.parse(t.get("nextFireTime").asText());
      // the first fire after this request started, or the one after it if that fired meanwhile
      Instant first = expected(target, before);
      assertThat(next).as(target).isIn(first, expected(target, first));
      earliest = earliest == null || next.isBefore(earliest) ? next : earliest;
    }
    assertThat(perTarget.findValuesAsText("target")).containsExactly("main", "other");
    assertThat(Instant.parse(job.get("nextFireTime").asText())).isEqualTo(earliest);
  }

  @Test
  void anUnknownJobIsNotFound() throws Exception {
    HttpResponse<String> r = get("/api/jobs/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no job named 'nope'");
  }
}
