package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.catalog.ObjectNames;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RebuildTime;
import io.pgvectorops.jobs.rebuild.RebuildPlanner.Why;
import java.util.List;
import java.util.Locale;

/**
 * Rebuild before vacuum: an HNSW index whose table lost a large share of its rows since its last
 * vacuum (rebuildBeforeVacuumDeadShare), or a smaller share (rebuildBeforeSlowVacuumDeadShare) when
 * its table's past vacuums took longer on average than a rebuild of the index would, is rebuilt
 * first, so the VACUUM after it (vacuumAfter) cleans a fresh graph instead of repairing the old one
 * around every deleted element (pgvector's README; #450). Its gain is the share of the index the
 * dead rows hold.
 *
 * @param dead the table's tuples and vacuums, or null when not known
 * @param past the target's rebuilds, newest first
 */
record BeforeVacuum(RebuildReads.DeadTuples dead, List<RebuildHistory.Rebuild> past) {
  private static final String AFTER =
      "rebuilt before VACUUM, as pgvector's README advises; the VACUUM after it cleans a fresh"
          + " graph instead of repairing the old one";

  /** Null when the index is not rebuilt before vacuum. */
  Why why(IndexFacts i, RebuildParams p) {
    if (dead == null || !i.method().equals("hnsw") || i.actualBytes() < p.minSize.toBytes()) {
      return null;
    }
    long benefit = (long) (i.actualBytes() * dead.share());
    if (p.rebuildBeforeVacuumDeadShare > 0 && dead.share() >= p.rebuildBeforeVacuumDeadShare) {
      return new Why(
          share(i)
              + ", rebuildBeforeVacuumDeadShare "
              + p.rebuildBeforeVacuumDeadShare
              + "): "
              + AFTER,
          benefit,
          null);
    }
    Double vacuum = dead.meanVacuumSeconds();
    if (vacuum == null
        || p.rebuildBeforeSlowVacuumDeadShare <= 0
        || dead.share() < p.rebuildBeforeSlowVacuumDeadShare) {
      return null;
    }
    RebuildTime rebuild =
        RebuildTime.of(
            i.object(),
            i.actualBytes(),
            past,
            p.estimatedBytesPerSecond.toBytes(),
            "estimatedBytesPerSecond");
    return vacuum <= rebuild.seconds() ? null : slowVacuum(i, p, vacuum, rebuild, benefit);
  }

  private Why slowVacuum(
      IndexFacts i, RebuildParams p, double vacuum, RebuildTime rebuild, long benefit) {
    return new Why(
        String.format(
            Locale.ROOT,
            "%s, rebuildBeforeSlowVacuumDeadShare %s) and its %d vacuum(s) took %.1f s on average,"
                + " longer than a rebuild of %s (about %d s, from %s): %s",
            share(i),
            p.rebuildBeforeSlowVacuumDeadShare,
            dead.vacuums(),
            vacuum,
            i.object(),
            rebuild.seconds(),
            rebuild.from(),
            AFTER),
        benefit,
        null);
  }

  private String share(IndexFacts i) {
    return Math.round(dead.share() * 100)
        + "% of "
        + ObjectNames.qualified(i.schema(), i.table())
        + "'s rows are dead since its last vacuum ("
        + dead.dead()
        + " of "
        + (dead.live() + dead.dead());
  }
}
