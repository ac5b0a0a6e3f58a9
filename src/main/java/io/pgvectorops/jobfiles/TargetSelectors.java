package io.pgvectorops.jobfiles;

import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.jobs.TargetSelection;
import java.util.List;

/**
 * A job file's {@code targets}: names of targets in force (or under a {@code databases: all}
 * entry), or label selectors ({@code key=value}); absent means every target.
 */
final class TargetSelectors {
  private final OpsConfiguration config;

  TargetSelectors(OpsConfiguration config) {
    this.config = config;
  }

  /**
   * Names must name a target in force or fall under a {@code databases: all} entry (a database that
   * may come and go); selectors may select none yet.
   */
  TargetSelection of(List<String> entries, List<String> errors) {
    if (entries == null) {
      return TargetSelection.EVERY;
    }
    if (entries.isEmpty()) {
      errors.add("key 'targets': is empty (omit it to run on every target)");
    }
    for (String e : entries) {
      if (e == null || e.isBlank()) {
        errors.add("key 'targets': has an empty entry");
      } else if (TargetSelection.isSelector(e)) {
        selector(e, errors);
      } else {
        named("targets", e, "; a label selector is written key=value", errors);
      }
    }
    return new TargetSelection(List.copyOf(entries));
  }

  /**
   * A name under {@code key} must name a target in force or fall under a {@code databases: all}
   * entry; {@code hint} ends the message.
   */
  void named(String key, String name, String hint, List<String> errors) {
    if (config.target(name).isEmpty() && !underDiscoveryEntry(name)) {
      errors.add(
          "key '"
              + key
              + "': unknown target '"
              + name
              + "' (configured: "
              + configuredNames()
              + ")"
              + hint);
    }
  }

  /** The targets' names for a message; a fleet's first 20 and how many more. */
  private String configuredNames() {
    List<String> names = config.fleet().stream().map(t -> t.name).toList();
    return names.size() <= 20
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 20)) + " and " + (names.size() - 20) + " more";
  }

  private static void selector(String e, List<String> errors) {
    for (String pair : e.split(",")) {
      if (!pair.strip().matches("[a-zA-Z_][a-zA-Z0-9_]*=\\S.*")) {
        errors.add(
            "key 'targets': '"
                + e
                + "' is not a label selector (key=value, or key=value,key=value for both)");
        return;
      }
    }
  }

  private boolean underDiscoveryEntry(String name) {
    return config.targets.stream().anyMatch(t -> t.isDiscovery() && name.startsWith(t.name + "/"));
  }
}
