package io.pgvectorops.jobs;

import io.pgvectorops.findings.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run ended, what it saw and what it did. {@code complete} says the run looked at everything
 * it is responsible for, so findings it did not see again can be resolved.
 */
public record JobResult(
    RunStatus status,
    Map<String, Object> summary,
    List<Finding> findings,
    String error,
    boolean complete) {

  public static JobResult succeeded(Map<String, Object> summary, List<Finding> findings) {
    return new JobResult(
        RunStatus.succeeded, new LinkedHashMap<>(summary), List.copyOf(findings), null, true);
  }

  public static JobResult failed(String error, List<Finding> findings) {
    return new JobResult(
        RunStatus.failed, new LinkedHashMap<>(), List.copyOf(findings), error, false);
  }

  public static JobResult skipped(String reason) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("skipped", reason);
    return new JobResult(RunStatus.skipped, summary, List.of(), null, false);
  }

  public static JobResult interrupted(String reason) {
    return new JobResult(RunStatus.interrupted, new LinkedHashMap<>(), List.of(), reason, false);
  }
}
