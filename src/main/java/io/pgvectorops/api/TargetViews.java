package io.pgvectorops.api;

import io.pgvectorops.target.Target;
import io.pgvectorops.target.TargetSnapshot;
import io.pgvectorops.target.Targets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a target: configuration name plus what the latest health run saw. */
final class TargetViews {
  private TargetViews() {}

  static List<Map<String, Object>> summaries(Targets targets, List<TargetSnapshot> snapshots) {
    Map<String, TargetSnapshot> seen = StatusResource.byTarget(snapshots);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Target t : targets.all()) {
      out.add(summary(t, seen.get(t.name())));
    }
    return out;
  }

  static Map<String, Object> summary(Target t, TargetSnapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    // up/down as of the latest health run: the status page never waits on a slow target
    m.put("state", s == null ? "unknown" : s.reachable() ? "up" : "down");
    m.put("checkedAt", s == null ? null : s.observedAt());
    m.put("serverVersion", s == null ? null : s.serverVersion());
    m.put("pgvectorVersion", s == null ? null : s.pgvectorVersion());
    m.put("pgvectorAvailable", s == null ? null : s.pgvectorAvailable());
    m.put("inRecovery", s == null ? null : s.inRecovery());
    m.put("lastReachableAt", s == null ? null : s.lastReachableAt());
    m.put("error", s == null ? null : s.error());
    return m;
  }
}
