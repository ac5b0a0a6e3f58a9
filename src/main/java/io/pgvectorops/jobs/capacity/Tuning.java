package io.pgvectorops.jobs.capacity;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.jobs.capacity.CapacityJob.Recommendation;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.FindingRecord;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Search settings and index shapes from the regression job's measurements: where its sweep found an
 * {@code hnsw.ef_search} or {@code ivfflat.probes} that reaches the recall target, that value
 * against what the application's sessions get now (pg_db_role_setting); where no value does, what a
 * larger m or lists suited to the rows would cost, estimated with the layout model.
 */
final class Tuning {
  static final String ADVICE_KIND = "recall-below-target";
  static final String STARVED_KIND = "filtered-search-starved";
  static final String LONG_RUNNING_KIND = "long-running-statement";

  private Tuning() {}

  /**
   * @param current the application's sessions' settings ({@link #applicationSettings})
   * @param advice the target's open recall-below-target findings (regression job)
   * @param role the application's role (targets[].applicationRole), or null
   */
  static List<Recommendation> of(
      Map<String, String> current,
      String role,
      List<FindingRecord> advice,
      List<IndexFacts> facts) {
    Map<String, IndexFacts> byName = new HashMap<>();
    facts.forEach(f -> byName.put(f.object(), f));
    List<Recommendation> out = new ArrayList<>();
    for (FindingRecord f : advice) {
      JsonNode m = f.metrics();
      if (m != null && m.hasNonNull("setting") && m.hasNonNull("suggested")) {
        String setting = m.get("setting").asText();
        out.add(
            new Recommendation(
                setting,
                current.getOrDefault(setting, "unknown"),
                m.get("suggested").asText(),
                f.message()
                    + " (as the application's sessions"
                    + (role == null ? "" : " of role " + role)
                    + " get it: ALTER ROLE … IN DATABASE … SET "
                    + setting
                    + ")",
                "regression run " + f.lastRunId() + ": the sweep of " + f.object()));
      } else if (byName.containsKey(f.object())) {
        out.add(shape(byName.get(f.object()), f));
      }
    }
    return out;
  }

  /**
   * Filtered searches the regression job saw starved: pgvector 0.8's iterative scan, against what
   * the application's sessions get now.
   */
  static List<Recommendation> iterativeScan(
      Map<String, String> current, String role, List<FindingRecord> starved) {
    List<Recommendation> out = new ArrayList<>();
    for (FindingRecord f : starved) {
      JsonNode m = f.metrics();
      if (m == null || !m.hasNonNull("setting")) {
        continue;
      }
      String setting = m.get("setting").asText();
      out.add(
          new Recommendation(
              setting,
              current.getOrDefault(setting, "off"),
              "relaxed_order",
              f.message(),
              "regression run "
                  + f.lastRunId()
                  + ": "
                  + Math.round(m.path("starvedShare").asDouble() * 100)
                  + "% of "
                  + f.object()
                  + "'s filtered probes got fewer than k rows"
                  + (role == null ? "" : "; for role " + role)));
    }
    return out;
  }

  /**
   * Vector statements slow-queries saw running long: a statement_timeout for their role, so the
   * server cancels such a search instead of someone killing it by hand.
   */
  static List<Recommendation> statementTimeouts(List<FindingRecord> longRunning) {
    Map<String, FindingRecord> longestPerRole = new TreeMap<>();
    for (FindingRecord f : longRunning) {
      JsonNode m = f.metrics();
      if (m != null && m.path("vector").asBoolean() && m.hasNonNull("user")) {
        longestPerRole.merge(
            m.get("user").asText(),
            f,
            (a, b) ->
                a.metrics().path("seconds").asLong() >= b.metrics().path("seconds").asLong()
                    ? a
                    : b);
      }
    }
    List<Recommendation> out = new ArrayList<>();
    longestPerRole.forEach(
        (role, f) -> {
          long seen = f.metrics().path("seconds").asLong();
          long minutes = Math.max(1, seen / 60);
          out.add(
              new Recommendation(
                  "statement_timeout for role " + role,
                  "not set for the role (the database's or the server's applies)",
                  minutes + "min",
                  "a vector search of role "
                      + role
                      + " ran "
                      + seen
                      + " s: with ALTER ROLE "
                      + role
                      + " SET statement_timeout = '"
                      + minutes
                      + "min' the server cancels such a search itself, the safe alternative to"
                      + " killing it",
                  "slow-queries: " + f.message()));
        });
    return out;
  }

  /** The application's sessions' pgvector settings (pg_db_role_setting, else the server's). */
  static Map<String, String> applicationSettings(Jdbc jdbc, Connection c, String role) {
    Map<String, String> current = new HashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/application_search_settings"),
        rs -> current.put(rs.getString("name"), rs.getString("value")),
        role);
    return current;
  }

  /** The index limits recall itself: another shape, with its cost estimated by the layout model. */
  private static Recommendation shape(IndexFacts i, FindingRecord f) {
    boolean hnsw = i.method().equals("hnsw");
    int now = hnsw ? i.option("m", 16) : i.option("lists", 100);
    long next =
        hnsw
            ? Math.min(100, now * 2L)
            : IndexFacts.idealLists(i.elements() == null ? 0 : i.elements());
    IndexFacts other = i.withOption(hnsw ? "m" : "lists", String.valueOf(next));
    return new Recommendation(
        i.object() + (hnsw ? " m" : " lists"),
        String.valueOf(now),
        String.valueOf(next),
        f.message(),
        "estimate from the layout model: size "
            + Advice.mib(Math.max(0, i.expectedBytes()))
            + " -> "
            + Advice.mib(Math.max(0, other.expectedBytes()))
            + ", build memory "
            + Advice.mib((long) i.buildMemoryBytes())
            + " -> "
            + Advice.mib((long) other.buildMemoryBytes())
            + "; recall at the new shape is only known once rebuilt and measured");
  }
}
