package io.pgvectorops.jobs.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the planner still answers the application's query with the vector index: a plan that
 * stopped using it returns exact results slowly (or, with a B-tree on a filter, trivially right
 * ones), so recall alone would not show it.
 */
final class PlanCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code scans}: the plan's scan nodes, e.g. "Index Scan using items_hnsw on items", "Seq Scan on
   * items".
   */
  record Plan(boolean usesIndex, List<String> scans) {
    String describe() {
      return scans.isEmpty() ? "no scan node" : String.join(", ", scans);
    }
  }

  private PlanCheck() {}

  /**
   * @param servedBy the index names whose scans count as using the index
   */
  static Plan explain(
      Jdbc jdbc, Connection c, AnnQuery.Template t, int k, Probe probe, Set<String> servedBy) {
    SqlFile q = t.sql("ann_query", k);
    SqlFile explain = q.explained("(FORMAT JSON)");
    String json =
        jdbc.query(c, explain, rs -> rs.getString(1), probe.vector(), probe.vector()).get(0);
    return read(json, servedBy);
  }

  static Plan read(String json, Set<String> servedBy) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("EXPLAIN returned something that is not JSON", e);
    }
    List<String> scans = new ArrayList<>();
    boolean[] uses = {false};
    walk(root.path(0).path("Plan"), servedBy, scans, uses);
    return new Plan(uses[0], scans);
  }

  private static void walk(
      JsonNode node, Set<String> servedBy, List<String> scans, boolean[] uses) {
    if (node.isMissingNode()) {
      return;
    }
    String type = node.path("Node Type").asText("");
    if (type.endsWith("Scan")) {
      String index = node.path("Index Name").asText(null);
      String relation = node.path("Relation Name").asText(null);
      scans.add(
          type
              + (index != null ? " using " + index : "")
              + (relation != null ? " on " + relation : ""));
      if (index != null
          && servedBy.contains(index)
          && (type.equals("Index Scan") || type.equals("Index Only Scan"))) {
        uses[0] = true;
      }
    }
    for (JsonNode child : node.path("Plans")) {
      walk(child, servedBy, scans, uses);
    }
  }
}
