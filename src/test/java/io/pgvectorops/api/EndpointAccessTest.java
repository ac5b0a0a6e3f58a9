package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.api.access.AccessRule;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.Endpoints;
import io.pgvectorops.testing.Endpoints.Endpoint;
import io.pgvectorops.testing.InProcess;
import io.pgvectorops.testing.RawHttp;
import io.pgvectorops.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Every endpoint of the running application, taken from Jersey's resource model (not a list kept by
 * hand), called without a token, with a wrong one and with too weak a role, through every spelling
 * of its path that has opened doors elsewhere: refused each time, and nothing changed (no run, no
 * silence, no audit entry "succeeded"). The admin port likewise. A resource method that declares no
 * access rule fails here.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointAccessTest {
  static final String VIEWER = "viewer-token-endpoint-0123456789";
  static final String OPERATOR = "operator-token-endpoint-01234567";
  static final String ADMIN = "admin-token-endpoint-0123456789a";
  static final String WRONG = "operator-token-endpoint-01234568";
  static final InProcess.Setup SETUP =
      InProcess.setup(
          "endpoint",
          "api:\n  readAccess: token\n  tokens:\n"
              + "    - {name: dash, token: "
              + VIEWER
              + ", role: viewer}\n"
              + "    - {name: ops, token: "
              + OPERATOR
              + ", role: operator}\n"
              + "    - {name: root, token: "
              + ADMIN
              + ", role: admin}\n"
              + "scheduler:\n  name: endpoint-test\n");
  static final TestPostgres.Database DB = SETUP.db();

  static final DropwizardAppExtension<OpsConfiguration> APP = InProcess.daemon(SETUP.dir());

  static List<Endpoint> endpoints() {
    return Endpoints.of(APP.getEnvironment().jersey().getResourceConfig());
  }

  static AccessRule rule(Endpoint e) {
    return AccessRule.of(e.method()).orElse(null);
  }

  /** The spellings of one path that a filter deciding on the path string would read wrongly. */
  static List<String> spellings(String path) {
    String first =
        path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1));
    String rest = path.substring(1 + first.length());
    Set<String> s = new LinkedHashSet<>();
    s.add(path);
    s.add("/" + first + ";" + rest);
    s.add("/" + first + ";x=1" + rest);
    s.add("/" + first + "%3B" + rest);
    s.add("/" + first + "%3b/" + rest);
    s.add(path + ";x=1");
    s.add(path + "/");
    s.add("/" + path);
    s.add("/" + first + "/" + rest);
    s.add("/." + path);
    s.add("/" + first + "/." + rest);
    s.add("/" + first + "/zz/.." + rest);
    s.add("/" + first + "/%2e" + rest);
    s.add("/" + first.toUpperCase() + rest);
    s.add("/%" + Integer.toHexString(first.charAt(0)) + first.substring(1) + rest);
    s.add("/" + first + "%2F" + (rest.isEmpty() ? "" : rest.substring(1)));
    s.add(path + "?x=1");
    s.add(path + "%2Fx");
    s.add(path + "/%2F");
    return new ArrayList<>(s);
  }

  /** The credentials that are not enough for a rule; empty for an anonymous endpoint. */
  static Map<String, String> tooWeak(AccessRule rule) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rule.kind() == AccessRule.Kind.anonymous) {
      return out;
    }
    out.put("no token", null);
    out.put("a wrong token", WRONG);
    if (rule.kind() == AccessRule.Kind.mutating) {
      out.put("a viewer's token", VIEWER);
      if (rule.role() == Role.admin) {
        out.put("an operator's token", OPERATOR);
      }
    }
    return out;
  }

  static String strongEnough(AccessRule rule) {
    return switch (rule.kind()) {
      case anonymous -> null;
      case read -> VIEWER;
      case mutating -> rule.role() == Role.admin ? ADMIN : OPERATOR;
    };
  }

  static RawHttp.Answer call(int port, String method, String target, String token)
      throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    byte[] body = null;
    if (method.equals("POST") || method.equals("PUT")) {
      headers.put("Content-Type", "application/json");
      body =
          ("{\"target\":\"main\",\"kind\":\"probe\",\"endsAt\":\""
                  + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
                  + "\"}")
              .getBytes(StandardCharsets.UTF_8);
    }
    return RawHttp.send(port, method, target, headers, body);
  }

  long changes() throws Exception {
    return DB.queryLong("SELECT count(*) FROM endpoint_state.job_run")
        + DB.queryLong("SELECT count(*) FROM endpoint_state.silence")
        + DB.queryLong("SELECT count(*) FROM endpoint_state.audit WHERE outcome = 'succeeded'");
  }

  @Test
  @Order(1)
  void everyEndpointDeclaresExactlyOneAccessRule() {
    List<Endpoint> all = endpoints();
    assertThat(all).as("the resource model lists the API").hasSizeGreaterThan(15);
    assertThat(all.stream().filter(e -> rule(e) == null).map(Endpoint::toString))
        .as("endpoints without exactly one of @Anonymous, @Reading, @Mutating")
        .isEmpty();
    assertThat(
            all.stream()
                .filter(e -> rule(e).kind() == AccessRule.Kind.anonymous)
                .map(Endpoint::toString))
        .as("what needs no token at all")
        .containsExactlyInAnyOrder("GET /", "GET /ui/{file}", "GET /api/session");
  }

  @Test
  @Order(2)
  void noSpellingOfAnyPathReachesAMethodWithoutItsToken() throws Exception {
    int port = APP.getLocalPort();
    long before = changes();
    List<String> opened = new ArrayList<>();
    List<String> notJson = new ArrayList<>();
    int calls = 0;
    for (Endpoint e : endpoints()) {
      for (Map.Entry<String, String> weak : tooWeak(rule(e)).entrySet()) {
        for (String path : spellings(e.filled())) {
          RawHttp.Answer a = call(port, e.httpMethod(), path, weak.getValue());
          calls++;
          if (a.status() < 400 || a.status() >= 500) {
            opened.add(
                e + " as " + path + " with " + weak.getKey() + ": " + a.status() + " " + a.body());
          } else if (!ErrorShape.isApiError(a)) {
            notJson.add(e + " as " + path + ": " + a.head() + " " + a.body());
          }
        }
      }
    }
    // a refusal from Jetty itself (an ambiguous path, a bad escape) too: docs/api.md's shape
    assertThat(notJson).as("refusals not in the API's {code, message} shape").isEmpty();
    System.out.printf(
        "EndpointAccessTest: %d endpoints, %d calls with too weak a token%n",
        endpoints().size(), calls);
    assertThat(opened).as("calls answered without the token they need").isEmpty();
    assertThat(calls).isGreaterThan(300);
    assertThat(changes()).as("runs, silences and succeeded audit entries").isEqualTo(before);
    assertThat(DB.queryLong("SELECT count(*) FROM endpoint_state.audit WHERE outcome = 'refused'"))
        .as("refused changes are in the audit trail")
        .isPositive();
  }

  /** The control: with a strong enough token each endpoint answers past its access check. */
  @Test
  @Order(3)
  void aStrongEnoughTokenGetsPastTheCheckOnEveryEndpoint() throws Exception {
    int port = APP.getLocalPort();
    for (Endpoint e : endpoints()) {
      RawHttp.Answer a = call(port, e.httpMethod(), e.filled(), strongEnough(rule(e)));
      assertThat(a.status()).as(e + ": " + a.body()).isNotIn(401, 403, 415).isLessThan(500);
    }
    RawHttp.Answer run = call(port, "POST", "/api/jobs/health/run", OPERATOR);
    assertThat(run.status()).as(run.body()).isIn(202, 409);
  }

  @Test
  @Order(4)
  void theAdminPortsTasksThreadsAndProfilesNeedTheAdminToken() throws Exception {
    int port = APP.getAdminPort();
    Logger audit = (Logger) LoggerFactory.getLogger("io.pgvectorops.audit");
    Level level = audit.getEffectiveLevel();
    List<String> opened = new ArrayList<>();
    for (String[] call :
        List.of(
            new String[] {"POST", "/tasks/log-level?logger=io.pgvectorops.audit&level=OFF"},
            new String[] {"POST", "/tasks/gc"},
            new String[] {"GET", "/threads"},
            new String[] {"GET", "/pprof?duration=1"})) {
      String path = call[1].split("\\?")[0];
      String query = call[1].contains("?") ? call[1].substring(call[1].indexOf('?')) : "";
      for (String spelling : spellings(path)) {
        for (String token : new String[] {null, WRONG, VIEWER, OPERATOR}) {
          RawHttp.Answer a =
              RawHttp.send(
                  port,
                  call[0],
                  spelling.replace("?x=1", "") + query,
                  token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
          if (a.status() < 400 || a.status() >= 500) {
            opened.add(call[0] + " " + spelling + " with " + token + ": " + a.status());
          }
        }
      }
    }
    assertThat(opened).isEmpty();
    assertThat(audit.getEffectiveLevel()).isEqualTo(level);
    for (String open : List.of("/ping", "/healthcheck", "/metrics/prometheus")) {
      assertThat(RawHttp.send(port, "GET", open, Map.of()).status()).as(open).isIn(200, 500);
    }
    assertThat(
            RawHttp.send(port, "POST", "/tasks/gc", Map.of("Authorization", "Bearer " + ADMIN))
                .status())
        .isEqualTo(200);
    assertThat(
            RawHttp.send(port, "GET", "/threads", Map.of("Authorization", "Bearer " + ADMIN))
                .status())
        .isEqualTo(200);
  }
}
