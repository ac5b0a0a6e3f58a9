package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.state.AuditStore;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What changed on a target, newest first: findings opened and resolved, recall moving, rebuilds,
 * reloads of the configuration and server or pgvector upgrades. An on-call engineer's first
 * question after "what is wrong" is "what changed"; each event links to the run that saw it.
 */
public final class Timeline {
  /** A recall move this large between two points of a series is an event (recallDrop's default). */
  static final double RECALL_STEP = 0.02;

  /** What kind of change an event is. */
  public enum Kind {
    FINDING_OPENED("finding-opened"),
    FINDING_RESOLVED("finding-resolved"),
    RECALL_CHANGED("recall-changed"),
    REBUILD("rebuild"),
    RELOAD("reload"),
    VERSION_CHANGED("version-changed");

    private final String name;

    Kind(String name) {
      this.name = name;
    }

    @JsonValue
    String json() {
      return name;
    }
  }

  /**
   * One change. {@code severity} is set for findings only; {@code runId} is the run that saw it
   * (null for a reload).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Event(
      Instant at, Kind kind, String severity, String object, String text, Long runId) {}

  /** The daemon's records the timeline reads besides findings and the kinds' figures. */
  public record Sources(RunStore runs, AuditStore audit, Clock clock) {}

  private final FindingStore findings;
  private final RunStore runs;
  private final AuditStore audit;
  private final IndexFigures figures;

  Timeline(FindingStore findings, RunStore runs, AuditStore audit, IndexFigures figures) {
    this.findings = findings;
    this.runs = runs;
    this.audit = audit;
    this.figures = figures;
  }

  List<Event> of(String target, Instant since, int limit) {
    List<Event> out = new ArrayList<>();
    findings.changedOn(target, since, limit).forEach(f -> findingEvents(f, since, out));
    figures.recall().ifPresent(r -> recallEvents(r, target, since, out));
    figures.rebuilds().ifPresent(r -> rebuildEvents(r, target, since, out));
    runs.versionChanges(target, since).forEach(v -> out.add(versionEvent(v)));
    audit.recent("reload", 1000).stream()
        .filter(e -> !e.at().isBefore(since) && e.outcome() == AuditStore.Outcome.succeeded)
        .forEach(e -> out.add(reloadEvent(e)));
    return out.stream().sorted(Comparator.comparing(Event::at).reversed()).limit(limit).toList();
  }

  private static void findingEvents(FindingRecord f, Instant since, List<Event> out) {
    if (!f.firstSeen().isBefore(since)) {
      out.add(
          new Event(
              f.firstSeen(),
              Kind.FINDING_OPENED,
              f.severity(),
              f.object(),
              f.kind() + ": " + f.message(),
              f.firstRunId()));
    }
    if (f.resolvedAt() != null && !f.resolvedAt().isBefore(since)) {
      out.add(
          new Event(
              f.resolvedAt(),
              Kind.FINDING_RESOLVED,
              f.severity(),
              f.object(),
              f.kind() + " resolved (it was: " + f.message() + ")",
              f.lastRunId()));
    }
  }

  private static void recallEvents(
      RecallReadings recall, String target, Instant since, List<Event> out) {
    for (RecallReadings.Change c : recall.changesOfTarget(target, since, RECALL_STEP)) {
      out.add(
          new Event(
              c.measuredAt(),
              Kind.RECALL_CHANGED,
              null,
              c.index() + " [" + c.label() + "]",
              String.format(
                  Locale.ROOT,
                  "recall %.3f -> %.3f (%s)",
                  c.earlierRecall(),
                  c.recall(),
                  c.settings()),
              c.runId()));
    }
  }

  private static void rebuildEvents(
      RebuildHistory rebuilds, String target, Instant since, List<Event> out) {
    rebuilds.rebuildsOf(target).stream()
        .filter(r -> r.endedAt() != null && !r.endedAt().isBefore(since))
        .forEach(
            r ->
                out.add(
                    new Event(
                        r.endedAt(),
                        Kind.REBUILD,
                        null,
                        r.index(),
                        "rebuilt" + (r.reason() == null ? "" : ": " + r.reason()),
                        r.runId())));
  }

  private static Event versionEvent(RunStore.VersionChange v) {
    List<String> moved = new ArrayList<>();
    if (!Objects.equals(v.server(), v.earlierServer())) {
      moved.add("PostgreSQL " + v.earlierServer() + " -> " + v.server());
    }
    if (!Objects.equals(v.pgvector(), v.earlierPgvector())) {
      moved.add("pgvector " + v.earlierPgvector() + " -> " + v.pgvector());
    }
    return new Event(v.at(), Kind.VERSION_CHANGED, null, null, String.join("; ", moved), v.runId());
  }

  private static Event reloadEvent(AuditStore.Entry e) {
    String by = e.tokenName() == null ? e.client() : e.tokenName() + " (" + e.client() + ")";
    return new Event(
        e.at(),
        Kind.RELOAD,
        null,
        null,
        "configuration reloaded by " + by + (e.detail() == null ? "" : ": " + e.detail()),
        null);
  }
}
