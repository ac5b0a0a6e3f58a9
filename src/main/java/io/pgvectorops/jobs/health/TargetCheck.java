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

  static Inspection check(
      Target target, List<JobDefinition> jobsOnTarget, HealthParams params, Advisories advisories) {
    try {
      record Seen(Observation observation, List<Finding> advisories) {}
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
      var vector = o.extensions().get("vector");
      String headline =
          "PostgreSQL "
              + o.serverVersion()
              + (o.inRecovery() ? " (standby)" : "")
              + ", pgvector "
              + (vector == null || vector.installed() == null
                  ? "not installed"
                  : vector.installed())
              + ", "
              + o.indexes().size()
              + " vector index(es), role "
              + o.role();
      return new Inspection(
          true,
          headline,
          HealthFindings.of(target.name(), o, params.minPgvectorVersion, jobsOnTarget),
          seen.advisories());
    } catch (DbException e) {
      if (e.statement() == null || e.isConnectionFailure()) {
        return new Inspection(false, "UNREACHABLE: " + e.getMessage(), List.of(), List.of());
      }
      // connected and logged in: a statement refused is not an unreachable server
      return new Inspection(
          false,
          "connected, but health could not read the server: "
              + e.getMessage()
              + ("42501".equals(e.sqlState())
                  ? " (a privilege is missing: docs/operations.md lists the grants per job kind)"
                  : ""),
          List.of(),
          List.of());
    }
  }
}
