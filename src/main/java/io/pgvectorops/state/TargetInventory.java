package io.pgvectorops.state;

import io.pgvectorops.catalog.VectorIndex;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The daemon's inventory of its targets as job kinds read and write it: what health saw of each
 * target and its vector indexes, a target found unreachable, and each index's daily history. The
 * inventory is the daemon's own record, which every kind shares; a kind's own data lives in its own
 * store.
 */
public interface TargetInventory {
  /** One vector index on one day: its size, rows and residency as last seen that day. */
  record Sample(
      String index, LocalDate day, Long rows, long sizeBytes, long tableBytes, Double residency) {}

  /** What a health run saw of a reachable target; its vector indexes replace the earlier list. */
  void saveReachable(
      String target,
      Instant at,
      String serverVersion,
      int serverVersionNum,
      boolean inRecovery,
      String pgvectorVersion,
      String pgvectorAvailable,
      Map<String, ?> extensions,
      List<VectorIndex> indexes);

  /** The target did not answer; its last known figures stay. */
  void saveUnreachable(String target, Instant at, String error);

  /** The target's vector indexes as last seen. */
  List<VectorIndex> indexes(String target);

  /** Each index's daily samples from {@code from} on. */
  List<Sample> history(String target, LocalDate from);

  /** Days of history kept (state.historyDays). */
  int historyDays();
}
