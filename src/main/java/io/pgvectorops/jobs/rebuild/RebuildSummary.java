package io.pgvectorops.jobs.rebuild;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.Shown;
import java.util.List;

/**
 * What a rebuild run planned and did. The figures after {@code freeSpace} are absent in a dry run,
 * which changes nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RebuildSummary(
    boolean dryRun,
    List<RebuildPlanner.Chosen> candidates,
    List<RebuildPlanner.Deferred> notNow,
    List<String> leftovers,
    List<String> notFound,
    String freeSpace,
    List<String> precautions,
    List<String> droppedLeftovers,
    List<Rebuilt> rebuilt,
    List<RebuildPlanner.Deferred> postponed,
    @Shown(label = "WAL written") Long walBytes,
    String replicasBefore,
    String replicasAfter)
    implements JobSummary {
  RebuildSummary done(
      List<String> dropped,
      List<Rebuilt> rebuilt,
      List<RebuildPlanner.Deferred> postponed,
      long walBytes,
      String replicasBefore,
      String replicasAfter) {
    return new RebuildSummary(
        dryRun,
        candidates,
        notNow,
        leftovers,
        notFound,
        freeSpace,
        precautions,
        dropped,
        rebuilt,
        postponed,
        walBytes,
        replicasBefore,
        replicasAfter);
  }

  static RebuildSummary planned(
      boolean dryRun,
      RebuildPlanner.Plan plan,
      List<String> leftovers,
      List<String> notFound,
      String freeSpace,
      List<String> precautions) {
    return new RebuildSummary(
        dryRun,
        plan.chosen().stream().map(RebuildPlanner.Candidate::describe).toList(),
        plan.notNow(),
        leftovers,
        notFound,
        freeSpace,
        precautions,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** A rebuild that failed fails the run, naming the index and why (the others' results stay). */
  static JobResult ended(RebuildSummary done, List<Finding> findings) {
    List<String> failed =
        done.rebuilt().stream()
            .filter(r -> r.error() != null)
            .map(r -> r.index() + ": " + r.error())
            .toList();
    return failed.isEmpty()
        ? JobResult.succeeded(done, findings)
        : JobResult.failed("rebuild failed: " + String.join("; ", failed), done, findings);
  }
}
