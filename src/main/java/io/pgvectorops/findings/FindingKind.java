package io.pgvectorops.findings;

import io.pgvectorops.findings.Finding.Severity;

/**
 * A kind of finding a job kind may raise, declared once where it is raised: its name (what the
 * state database, the API and alerts carry), the severities it comes in, and what a person can do
 * about it. The action may name {object}, {target} and {job}, filled in when an alert is sent.
 */
public record FindingKind(String name, Severity lowest, Severity highest, String action) {
  /** Said when a kind declares no action of its own. */
  public static final String LOOK_AND_RECHECK =
      "See GET /api/findings?target={target} for the figures; run `bin/pgvector-ops run {job}"
          + " --target {target} <config.yml>` to re-check.";

  public FindingKind {
    // the names sql-check's job files may give their findings: lower-case letters, digits and '-'
    if (!name.matches("[a-z0-9][a-z0-9-]*") || lowest.compareTo(highest) > 0) {
      throw new IllegalArgumentException("finding kind " + name + " " + lowest + ".." + highest);
    }
  }

  public static FindingKind of(String name, Severity lowest, Severity highest) {
    return new FindingKind(name, lowest, highest, LOOK_AND_RECHECK);
  }

  public boolean allows(Severity severity) {
    return lowest.compareTo(severity) <= 0 && severity.compareTo(highest) <= 0;
  }

  /** An action with its placeholders filled in; job may be null (no job file names it). */
  public static String fill(String template, String object, String target, String job) {
    return template
        .replace("{object}", object)
        .replace("{target}", target)
        .replace("{job}", job == null ? "<job>" : job);
  }
}
