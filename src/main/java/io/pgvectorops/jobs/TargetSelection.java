package io.pgvectorops.jobs;

import io.pgvectorops.config.TargetConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job file's {@code targets}: names and label selectors ({@code env=prod}, {@code
 * env=prod,cluster=eu-1} for both), kept as written so the job follows the fleet as targets are
 * discovered and dropped.
 *
 * @param entries as written; null means every target
 */
public record TargetSelection(List<String> entries) {
  public static final TargetSelection EVERY = new TargetSelection(null);

  /** The targets of {@code fleet} this selects, in the fleet's order. */
  public List<String> resolve(List<TargetConfig> fleet) {
    return fleet.stream().filter(this::selects).map(t -> t.name).toList();
  }

  public boolean selects(TargetConfig t) {
    return entries == null
        || entries.stream()
            .anyMatch(
                e ->
                    isSelector(e)
                        ? t.labels.entrySet().containsAll(labels(e).entrySet())
                        : e.equals(t.name));
  }

  public static boolean isSelector(String entry) {
    return entry.contains("=");
  }

  /** {@code a=b,c=d} as a map; a pair without '=' or with an empty side is left out. */
  public static Map<String, String> labels(String selector) {
    Map<String, String> out = new TreeMap<>();
    for (String pair : selector.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length() - 1) {
        out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return out;
  }
}
