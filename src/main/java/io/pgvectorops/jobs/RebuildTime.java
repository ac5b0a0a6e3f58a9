package io.pgvectorops.jobs;

import io.pgvectorops.common.Text;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How long a rebuild of an index would take, and what that is based on: the index's own latest
 * rebuild (its speed in bytes per second, applied to its size now) where one is recorded, else a
 * job's default speed. Where a vacuum of an HNSW table is weighed against a rebuild of its index
 * (bloat's hnsw-vacuum-running-long, index-rebuild's rebuild before vacuum).
 */
public record RebuildTime(long seconds, String from) {
  /**
   * @param past the target's rebuilds ({@link RebuildHistory#rebuildsOf})
   * @param defaultBytesPerSecond the speed assumed with no rebuild of the index recorded
   * @param defaultName the parameter that speed comes from, as the basis names it
   */
  public static RebuildTime of(
      String index,
      long bytes,
      List<RebuildHistory.Rebuild> past,
      long defaultBytesPerSecond,
      String defaultName) {
    Optional<RebuildHistory.Rebuild> own =
        past.stream()
            .filter(b -> b.index().equals(index) && b.seconds() != null && b.seconds() > 0)
            .filter(b -> b.sizeAfter() != null && b.sizeAfter() > 0)
            .max(Comparator.comparing(RebuildHistory.Rebuild::endedAt));
    if (own.isPresent()) {
      double rate = own.get().sizeAfter() / own.get().seconds();
      return new RebuildTime(
          (long) Math.ceil(bytes / rate),
          "its rebuild by run "
              + own.get().runId()
              + ": "
              + Math.round(own.get().seconds())
              + " s for "
              + Text.size(own.get().sizeAfter()));
    }
    long rate = Math.max(1, defaultBytesPerSecond);
    return new RebuildTime(
        (long) Math.ceil((double) bytes / rate),
        defaultName + " " + Text.size(rate) + "/s (no rebuild of it recorded)");
  }
}
