package io.pgvectorops.jobs.health;

import io.pgvectorops.catalog.VectorIndex;
import java.util.List;
import java.util.Map;

/** Everything one health run read from a reachable target. */
record Observation(
    String serverVersion,
    int serverVersionNum,
    boolean inRecovery,
    String role,
    Map<String, ExtensionStatus> extensions,
    Map<String, Boolean> roles,
    List<IndexRow> indexes,
    Map<String, Boolean> updatable) {

  /**
   * @param preloaded whether its library is in shared_preload_libraries; null when the role may not
   *     read that setting (superuser or pg_read_all_settings)
   */
  record ExtensionStatus(String installed, String available, Boolean preloaded) {}

  record IndexRow(
      VectorIndex index, boolean buildInProgress, boolean canMaintain, boolean canSelect) {}

  /**
   * Of each table a tiering job names: true/false whether the role may update it; absent when not
   * found.
   */
  boolean has(String role) {
    return roles.getOrDefault("superuser", false)
        || roles.getOrDefault(role, false)
        // pg_monitor includes pg_read_all_stats
        || ("pg_read_all_stats".equals(role) && roles.getOrDefault("pg_monitor", false));
  }
}
