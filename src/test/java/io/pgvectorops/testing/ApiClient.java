package io.pgvectorops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A test's view of a daemon's HTTP API: reads, "run now" with the token, and waiting for a run's
 * end.
 */
public final class ApiClient {
  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param base e.g. http://127.0.0.1:8080
   */
  public ApiClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** GET with this client's token (reads may need one), asserting 200. */
  public JsonNode get(String path) throws Exception {
    return getAs(path, token);
  }

  /** GET with this bearer token (null: none), asserting 200. */
  public JsonNode getAs(String path, String bearer) throws Exception {
    HttpResponse<String> r = send("GET", path, bearer == null ? null : "Bearer " + bearer, null);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  /**
   * Any call, as given: {@code authorization} is the whole header value (null: none), {@code json}
   * the body (null: none).
   */
  public HttpResponse<String> send(String method, String path, String authorization, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST /api/jobs/{job}/run, asserting 202; the run's id. */
  /** Starts a run of the job now; while one of it runs (409), waits for that one to end first. */
  public long runNow(String job) throws Exception {
    return runNow(job, null);
  }

  /**
   * Starts a run of the job on the target (null: the job's one target) now; while one of it runs
   * there (409, e.g. the health run each daemon starts with), waits for that one to end first.
   */
  public long runNow(String job, String target) throws Exception {
    return start(job, target == null ? "" : "?target=" + target);
  }

  /** Starts a dry run of the job (its one target), as "Run now" with "dry run" ticked does. */
  public long dryRun(String job) throws Exception {
    return start(job, "?dryRun=true");
  }

  private long start(String job, String query) throws Exception {
    String path = "/api/jobs/" + job + "/run" + query;
    // each 409 names the run still going; a 202 is the run started (and ends the wait)
    HttpResponse<String> r =
        await(job + " to start (no run of it going)")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> send("POST", path, "Bearer " + token, null), a -> a.statusCode() != 409);
    assertThat(r.statusCode()).as(job + " " + r.body()).isEqualTo(202);
    return json.readTree(r.body()).get("runId").asLong();
  }

  /**
   * Until the job has run at least once and no run of it is running: the health check each daemon
   * starts with holds the job's lock until it ends, so a "run now" sent meanwhile is skipped.
   */
  public void awaitRunsEnded(String job) throws Exception {
    await(job + "'s runs to end")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> get("/api/jobs/" + job + "/runs"),
            runs ->
                !runs.isEmpty()
                    && java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                        .noneMatch(r -> r.get("status").asText().equals("running")));
  }

  /** The run record of GET /api/runs/{id}. */
  public JsonNode run(long id) throws Exception {
    return get("/api/runs/" + id).get("run");
  }

  /** The run record once it is no longer running (at most 120 s). */
  public JsonNode awaitEnd(long id) throws Exception {
    return await("run " + id + " to end")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> run(id), r -> !r.get("status").asText().equals("running"));
  }
}
