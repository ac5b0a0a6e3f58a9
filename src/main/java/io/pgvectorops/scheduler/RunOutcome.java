package io.pgvectorops.scheduler;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the runner reports for one run; runId is null when the run could not be recorded. */
public record RunOutcome(
    Long runId,
    String job,
    String target,
    RunStatus status,
    Instant startedAt,
    Instant endedAt,
    Map<String, Object> summary,
    List<Finding> findings,
    String error) {}
