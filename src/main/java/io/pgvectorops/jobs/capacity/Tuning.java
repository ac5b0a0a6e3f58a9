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

/**
 * Search settings and index shapes from the regression job's measurements: where its sweep found an
 * {@code hnsw.ef_search} or {@code ivfflat.probes} that reaches the recall target, that value
 * against what the application's sessions get now (pg_db_role_setting); where no value does, what a
 * larger m or lists suited to the rows would cost, estimated with the layout model.
 */
final class Tuning {
  static final String ADVICE_KIND = "tuning-advice";

  private Tuning() {}

  /**
   * @param advice the target's open tuning-advice findings (regression job)
   * @param role the application's role (targets[].applicationRole), or null
   */
  static List<Recommendation> of(
      Jdbc jdbc, Connection c, String role, List<FindingRecord> advice, List<IndexFacts> facts) {
    Map<String, String> current = new HashMap<>();
    jdbc.query(
        c,
        SqlFile.load("probes/application_search_settings"),
        rs -> current.put(rs.getString("name"), rs.getString("value")),
        role);
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
            + Advice.mb(Math.max(0, i.expectedBytes()))
            + " -> "
            + Advice.mb(Math.max(0, other.expectedBytes()))
            + ", build memory "
            + Advice.mb((long) i.buildMemoryBytes())
            + " -> "
            + Advice.mb((long) other.buildMemoryBytes())
            + "; recall at the new shape is only known once rebuilt and measured");
  }
}
