package io.pgvectorops.jobs;

/**
 * What a run reports about itself: each kind declares a record for it, serialised by Jackson into
 * the run's {@code summary} (served by {@code /api/runs/{id}} and printed by {@code run-once}).
 * Progress reports of a long run are summaries too.
 */
public interface JobSummary {
  /** A run that ended before it had anything to report: serialised as {@code {}}. */
  record None() implements JobSummary {}

  /** A run that did not start its work, and why. */
  record Skipped(String skipped) implements JobSummary {}

  JobSummary NONE = new None();
}
