package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.TargetSnapshot;
import io.pgvectorops.targets.Targets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shape of a target: configuration name plus what the latest health run saw. */
public final class TargetViews {
  private TargetViews() {}

  /** Up or down as of the latest health run: the status page never waits on a slow target. */
  enum TargetState {
    unknown,
    up,
    down
  }

  /** A target in {@code /api/status} and {@code /api/targets}. */
  /**
   * @param labels the target's labels (a discovered one's are its entry's)
   * @param discoveredBy the {@code databases: all} entry it came from; null when written out
   */
  public record TargetView(
      String name,
      Map<String, String> labels,
      String discoveredBy,
      TargetState state,
      Instant checkedAt,
      String serverVersion,
      String pgvectorVersion,
      String pgvectorAvailable,
      Boolean inRecovery,
      Instant lastReachableAt,
      String error,
      LocalDate postgresSupportEnds,
      Boolean postgresSupported,
      List<String> advisories) {}

  /** {@code /api/targets/{name}}: the summary, its extensions, and its vector indexes. */
  record TargetDetail(
      @JsonUnwrapped TargetView target,
      JsonNode extensions,
      List<IndexView> vectorIndexes,
      List<FindingRecord> advisories) {}

  /** A vector index with its latest regression figures and its last rebuild (null before any). */
  public record IndexView(
      @JsonUnwrapped VectorIndex index,
      RecallReadings.Latest regression,
      RebuildHistory.Rebuild lastRebuild) {}

  /**
   * @param openAdvisories per target, the objects of its open pgvector-advisory findings
   */
  static List<TargetView> summaries(
      Targets targets,
      List<TargetSnapshot> snapshots,
      Advisories advisories,
      Map<String, List<String>> openAdvisories,
      LocalDate today) {
    Map<String, TargetSnapshot> seen = StatusResource.byTarget(snapshots);
    return targets.all().stream()
        .map(
            t ->
                summary(
                    t,
                    seen.get(t.name()),
                    advisories,
                    openAdvisories.getOrDefault(t.name(), List.of()),
                    today))
        .toList();
  }

  /** The open pgvector-advisory findings' objects, by target. */
  static Map<String, List<String>> openAdvisories(List<FindingRecord> open) {
    Map<String, List<String>> out = new TreeMap<>();
    open.stream()
        .filter(f -> f.kind().equals(ADVISORY_KIND))
        .forEach(f -> out.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f.object()));
    return out;
  }

  static final String ADVISORY_KIND = "pgvector-advisory";

  /** A target no health run has looked at yet. */
  private static TargetView unknown(Target t, List<String> open) {
    return new TargetView(
        t.name(),
        t.config().labels,
        t.config().discoveredBy,
        TargetState.unknown,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        open);
  }

  static TargetView summary(
      Target t, TargetSnapshot s, Advisories advisories, List<String> open, LocalDate today) {
    if (s == null) {
      return unknown(t, open);
    }
    LocalDate ends =
        s.serverVersionNum() == null
            ? null
            : advisories
                .major(s.serverVersionNum() / 10000)
                .map(Advisories.Major::endOfLife)
                .orElse(null);
    return new TargetView(
        t.name(),
        t.config().labels,
        t.config().discoveredBy,
        s.reachable() ? TargetState.up : TargetState.down,
        s.observedAt(),
        s.serverVersion(),
        s.pgvectorVersion(),
        s.pgvectorAvailable(),
        s.inRecovery(),
        s.lastReachableAt(),
        s.error(),
        ends,
        ends == null ? null : !today.isAfter(ends),
        open);
  }

  /**
   * Each index with its latest regression figures (unfiltered probe set first) and its last rebuild
   * by an index-rebuild job, each null before there is one.
   */
  public static List<IndexView> indexes(
      String target, List<VectorIndex> indexes, IndexFigures figures) {
    Map<String, RecallReadings.Latest> latest = new HashMap<>();
    for (var l : figures.recall().map(r -> r.latestOfTarget(target)).orElse(List.of())) {
      latest.merge(l.index(), l, (a, b) -> a.label().equals(RecallReadings.ALL_ROWS) ? a : b);
    }
    Map<String, RebuildHistory.Rebuild> lastRebuild = new HashMap<>();
    for (var r : figures.rebuilds().map(h -> h.rebuildsOf(target)).orElse(List.of())) {
      lastRebuild.putIfAbsent(r.index(), r);
    }
    return indexes.stream()
        .map(
            v ->
                new IndexView(v, latest.get(v.qualifiedName()), lastRebuild.get(v.qualifiedName())))
        .toList();
  }
}
