package io.pgvectorops.jobs.health;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.TargetInspector.Inspection;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.targets.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The `check` command's view of a target: the health job's observation and findings, nothing
 * stored.
 */
final class TargetCheck {
  private TargetCheck() {}

  private record Seen(Observation observation, List<Finding> advisories) {}

  static Inspection check(
      Target target, List<JobDefinition> jobsOnTarget, HealthParams params, Advisories advisories) {
    try {
      Seen seen =
          target
              .jdbc()
              .withConnection(
                  c -> {
                    Observation observed =
                        HealthJob.observe(
                            target.jdbc(), c, Instant.now(), HealthJob.updatedTables(jobsOnTarget));
                    return new Seen(
                        observed,
                        AdvisoryFindings.of(
                            advisories, target.jdbc(), c, observed, LocalDate.now(ZoneOffset.UTC)));
                  });
      Observation o = seen.observation();
      return new Inspection(
          true,
          headline(o),
          HealthFindings.of(target.name(), o, params.minPgvectorVersion, jobsOnTarget),
          seen.advisories());
    } catch (DbException e) {
      return new Inspection(false, failure(e), List.of(), List.of());
    }
  }

  /** "PostgreSQL 18.1, pgvector 0.8.1, 3 vector index(es), role ops" */
  private static String headline(Observation o) {
    var vector = o.extensions().get("vector");
    return "PostgreSQL "
        + o.serverVersion()
        + (o.inRecovery() ? " (standby)" : "")
        + ", pgvector "
        + (vector == null || vector.installed() == null ? "not installed" : vector.installed())
        + ", "
        + o.indexes().size()
        + " vector index(es), role "
        + o.role();
  }

  private static String failure(DbException e) {
    if (e.statement() == null || e.isConnectionFailure()) {
      return "UNREACHABLE: " + e.getMessage();
    }
    // connected and logged in: a statement refused is not an unreachable server
    return "connected, but health could not read the server: "
        + e.getMessage()
        + ("42501".equals(e.sqlState())
            ? " (a privilege is missing: docs/operations.md lists the grants per job kind)"
            : "");
  }
}
