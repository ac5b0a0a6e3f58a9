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
    String query;
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
      long calls = e.calls();
      double total = e.totalMs();
      long rows = e.rows();
      long blocks = e.sharedBlksRead();
      if (b != null) {
        common++;
        if (e.calls() < b.calls() || !Objects.equals(e.statsSince(), b.statsSince())) {
          restarted++;
          continue;
        }
        calls -= b.calls();
        total -= b.totalMs();
        rows -= b.rows();
        blocks -= b.sharedBlksRead();
      }
      if (calls <= 0) {
        continue;
      }
      Delta d = out.computeIfAbsent(e.queryid(), k -> new Delta());
      d.queryid = e.queryid();
      d.calls += calls;
      d.totalMs += total;
      d.rows += rows;
      d.blocksRead += blocks;
      d.maxMs =
          e.maxMs() == null ? d.maxMs : d.maxMs == null ? e.maxMs() : Math.max(d.maxMs, e.maxMs());
      d.query = e.query();
    }
    return new Deltas(out, restarted, common > 0 && restarted * 2 > common);
  }
}
