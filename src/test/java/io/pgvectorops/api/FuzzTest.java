package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.Endpoints;
import io.pgvectorops.testing.Endpoints.Endpoint;
import io.pgvectorops.testing.InProcess;
import io.pgvectorops.testing.RawHttp;
import io.pgvectorops.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Generated hostile requests to every endpoint of the resource model, for a bounded count and time:
 * paths with odd segments and encodings, query parameters with values of every wrong kind, bodies
 * of every wrong shape, odd headers, mostly with an admin's token so they reach the resources. No
 * answer may be a 5xx, every call must be answered (a socket timeout fails it), and the daemon must
 * still answer afterwards. The seed is printed; {@code -Dfuzz.seed=N} replays it.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FuzzTest {
  static final String ADMIN = "admin-token-fuzz-0123456789abcdef";
  static final InProcess.Setup SETUP =
      InProcess.setup(
          "fuzz",
          "api:\n  readAccess: token\n  tokens:\n    - {name: root, token: "
              + ADMIN
              + ", role: admin}\n"
              + "scheduler:\n  name: fuzz-test\n");
  static final TestPostgres.Database DB = SETUP.db();

  static final DropwizardAppExtension<OpsConfiguration> APP = InProcess.daemon(SETUP.dir());

  static final String[] SEGMENTS = {
    "%00",
    "%ff",
    "%c0%af",
    "..",
    "%2e%2e",
    ";",
    "%3b",
    "",
    "%5c",
    "%e8%a1%a8",
    "%f0%9f%98%80",
    "a".repeat(3000),
    "%",
    "%%41",
    "%7b",
    "%27",
    "%22",
    "%3cscript%3e",
    "$%7bjndi:x%7d",
    "'--",
    "public.a%2Fb",
    "main;x=1",
    "-1",
    "99999999999999999999",
    "%20",
    "+",
    "NaN"
  };
  static final String[] PARAMS = {
    "state",
    "target",
    "job",
    "limit",
    "labels",
    "dryRun",
    "action",
    "since",
    "label",
    "before",
    "index",
    "logger",
    "level",
    "unknown%00"
  };
  static final String[] VALUES = {
    "-1",
    "0",
    "1",
    "99999999999999999999",
    "1e9",
    "NaN",
    "",
    "%00",
    "2026-13-45T99:99:99Z",
    "+999999999-01-01T00:00:00Z",
    "a".repeat(5000),
    "all",
    "true",
    "%ff%fe",
    "main",
    "x%0d%0ay",
    "%e2%80%ae",
    "health",
    "[]",
    "{}"
  };
  static final String[] BODIES = {
    "{\"kind\":\"x\",\"endsAt\":\"2999-01-01T00:00:00Z\"}",
    "{\"target\":\"main\",\"objectPattern\":\"" + "*".repeat(499) + "\",\"endsAt\":\"%NOW%\"}",
    "{\"endsAt\":1e309}",
    "{\"endsAt\":[]}",
    "{\"endsAt\":{}}",
    "{\"kind\":null,\"target\":null,\"objectPattern\":null,\"endsAt\":\"%NOW%\"}",
    "{\"kind\":\"x\",\"kind\":\"y\",\"endsAt\":\"%NOW%\"}",
    "[1,2,3]",
    "null",
    "\"text\"",
    "{\"kind\":\"\\ud800\",\"endsAt\":\"%NOW%\"}",
    "{\"comment\":\"\\u0000\",\"kind\":\"x\",\"endsAt\":\"%NOW%\"}",
    "{",
    "}",
    "\u0000\u0001\u0002",
    "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
    "{\"startsAt\":\"-999999999-01-01T00:00:00Z\",\"kind\":\"x\",\"endsAt\":\"%NOW%\"}",
    "{\"kind\":\"" + "k".repeat(600) + "\",\"endsAt\":\"%NOW%\"}",
  };
  static final String[] TYPES = {
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "garbage",
    null
  };
  static final String[] AUTH = {
    "Bearer " + ADMIN,
    "Bearer " + ADMIN,
    "Bearer " + ADMIN,
    "Bearer " + ADMIN.toUpperCase(),
    "bearer " + ADMIN,
    "Bearer  " + ADMIN + " ",
    "Basic YWRtaW46YWRtaW4=",
    "Bearer " + "x".repeat(4000),
    null
  };

  @Test
  void hostileRequestsToEveryEndpointGetNoServerErrorAndTheDaemonStillAnswers() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("FuzzTest seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
    Random r = new Random(seed);
    List<Endpoint> endpoints = Endpoints.of(APP.getEnvironment().jersey().getResourceConfig());
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + 40_000_000_000L;
    int sent = 0;
    while (sent < 1500 && System.nanoTime() < deadline && failures.size() < 20) {
      // round robin, so every endpoint gets its share
      Endpoint e = endpoints.get(sent % endpoints.size());
      String method =
          r.nextInt(10) == 0
              ? pick(r, "GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD")
              : e.httpMethod();
      String target = path(r, e.filled()) + query(r, queryParams(e));
      Map<String, String> headers = new LinkedHashMap<>();
      String auth = pick(r, AUTH);
      if (auth != null) {
        headers.put("Authorization", auth);
      }
      byte[] body = null;
      if (!method.equals("GET") && !method.equals("HEAD") && r.nextInt(3) > 0) {
        String type = pick(r, TYPES);
        if (type != null) {
          headers.put("Content-Type", type);
        }
        body =
            pick(r, BODIES)
                .replace("%NOW%", java.time.Instant.now().plusSeconds(3600).toString())
                .getBytes(StandardCharsets.UTF_8);
      }
      if (r.nextInt(8) == 0) {
        headers.put(
            "Origin",
            pick(
                r,
                "null",
                "https://evil.example",
                "http://127.0.0.1:" + APP.getLocalPort(),
                "%00"));
      }
      long started = System.nanoTime();
      RawHttp.Answer a = RawHttp.send(APP.getLocalPort(), method, target, headers, body);
      long millis = (System.nanoTime() - started) / 1_000_000;
      sent++;
      if (a.status() == 0 || a.status() >= 500) {
        String again = "";
        if (a.status() == 0) {
          // where the daemon's threads are while a call goes unanswered, and whether the same
          // call on a new connection is answered: a stuck daemon and a lost connection differ
          System.out.println("FuzzTest: no answer after " + millis + " ms; threads:\n" + threads());
          again =
              "; sent again: "
                  + RawHttp.send(APP.getLocalPort(), method, target, headers, body).status();
        }
        failures.add(
            method
                + " "
                + abbreviated(target)
                + " "
                + headers.keySet()
                + " -> "
                + a.status()
                + " after "
                + millis
                + " ms "
                + abbreviated(a.body())
                + again);
      }
    }
    assertThat(failures).as("seed " + seed + ": answers 5xx or none").isEmpty();
    assertThat(sent).isGreaterThan(200);
    RawHttp.Answer status =
        RawHttp.send(
            APP.getLocalPort(), "GET", "/api/status", Map.of("Authorization", "Bearer " + ADMIN));
    assertThat(status.status()).isEqualTo(200);
  }

  static String path(Random r, String path) {
    if (r.nextInt(3) == 0) {
      return path;
    }
    String[] parts = path.split("/", -1);
    int i = 1 + r.nextInt(Math.max(1, parts.length - 1));
    if (i < parts.length) {
      parts[i] = r.nextBoolean() ? pick(r, SEGMENTS) : parts[i] + pick(r, SEGMENTS);
    }
    return String.join("/", parts);
  }

  /** The endpoint's own query parameters, from its Java method, then the others. */
  static List<String> queryParams(Endpoint e) {
    List<String> names = new ArrayList<>();
    for (java.lang.reflect.Parameter p : e.method().getParameters()) {
      jakarta.ws.rs.QueryParam q = p.getAnnotation(jakarta.ws.rs.QueryParam.class);
      if (q != null) {
        names.add(q.value());
      }
    }
    return names;
  }

  static String query(Random r, List<String> own) {
    int n = r.nextInt(4);
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String name =
          !own.isEmpty() && r.nextInt(4) > 0 ? own.get(r.nextInt(own.size())) : pick(r, PARAMS);
      q.append(i == 0 ? '?' : '&').append(name).append('=').append(pick(r, VALUES));
    }
    return q.toString();
  }

  @SafeVarargs
  static <T> T pick(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }

  /** Every thread's name, state and innermost frames. */
  static String threads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (thread, frames) -> {
              out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
              for (int i = 0; i < Math.min(frames.length, 30); i++) {
                out.append("    at ").append(frames[i]).append('\n');
              }
            });
    return out.toString();
  }

  static String abbreviated(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
