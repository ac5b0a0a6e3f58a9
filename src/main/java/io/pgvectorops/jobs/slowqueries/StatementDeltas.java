package io.pgvectorops.jobs.slowqueries;

import io.pgvectorops.jobs.slowqueries.StatementSnapshots.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What each statement did between two snapshots of pg_stat_statements: counters summed per queryid
 * over the users that ran it, with the entries reset or evicted in between left out.
 */
final class StatementDeltas {
  private StatementDeltas() {}

  /** Counters summed over the users running the same statement during the interval. */
  static final class Delta {
    long queryid;
    long calls;
    double totalMs;
    Double maxMs;
    long rows;
    long blocksRead;

    /** Shared buffers hit or read: what a write costs, cached or not. */
    long blocksTouched;

    String query;

    /** Adds an entry's counters since {@code before} (its earlier snapshot, null: new since). */
    void add(Entry e, Entry before) {
      queryid = e.queryid();
      calls += e.calls() - (before == null ? 0 : before.calls());
      totalMs += e.totalMs() - (before == null ? 0 : before.totalMs());
      rows += e.rows() - (before == null ? 0 : before.rows());
      blocksRead += e.sharedBlksRead() - (before == null ? 0 : before.sharedBlksRead());
      blocksTouched +=
          e.sharedBlksRead()
              + e.sharedBlksHit()
              - (before == null ? 0 : before.sharedBlksRead() + before.sharedBlksHit());
      maxMs = e.maxMs() == null ? maxMs : maxMs == null ? e.maxMs() : Math.max(maxMs, e.maxMs());
      query = e.query();
    }
  }

  /** Interval counters per queryid, and how many entries were reset or evicted in between. */
  record Deltas(Map<Long, Delta> byQuery, int restarted, boolean mostRestarted) {}

  /**
   * Interval counters per queryid. An entry whose counters went down or whose stats_since changed
   * was reset or evicted since: it is skipped. When most entries went down (a reset on a server
   * without pg_stat_statements_info), the whole snapshot is a new baseline.
   */
  static Deltas of(List<Entry> before, List<Entry> now) {
    Map<Entry.Key, Entry> previous = new LinkedHashMap<>();
    before.forEach(e -> previous.put(e.key(), e));
    Map<Long, Delta> out = new LinkedHashMap<>();
    int common = 0;
    int restarted = 0;
    for (Entry e : now) {
      Entry b = previous.get(e.key());
      if (b != null) {
        common++;
        if (e.calls() < b.calls() || !Objects.equals(e.statsSince(), b.statsSince())) {
          restarted++;
          continue;
        }
      }
      if (e.calls() - (b == null ? 0 : b.calls()) > 0) {
        out.computeIfAbsent(e.queryid(), k -> new Delta()).add(e, b);
      }
    }
    return new Deltas(out, restarted, common > 0 && restarted * 2 > common);
  }
}
