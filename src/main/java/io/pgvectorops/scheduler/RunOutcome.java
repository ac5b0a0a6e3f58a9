package io.pgvectorops.scheduler;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.RunStatus;
import java.time.Instant;
import java.util.List;

/** What the runner reports for one run; runId is null when the run could not be recorded. */
public record RunOutcome(
    Long runId,
    String job,
    String target,
    RunStatus status,
    Instant startedAt,
    Instant endedAt,
    JobSummary summary,
    List<Finding> findings,
    String error) {}
