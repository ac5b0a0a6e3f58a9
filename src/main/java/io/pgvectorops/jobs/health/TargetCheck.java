package io.pgvectorops.jobs.health;

import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.TargetInspector.Inspection;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.target.Target;
import java.time.Instant;
import java.util.List;

/**
 * The `check` command's view of a target: the health job's observation and findings, nothing
 * stored.
 */
final class TargetCheck {
  private TargetCheck() {}

  static Inspection check(
      Target target,
      List<JobDefinition> jobsOnTarget,
      HealthParams params,
      io.pgvectorops.catalog.Advisories advisories) {
    try {
      record Seen(Observation observation, AdvisoryFindings.Exposure exposure) {}
      Seen seen =
          target
              .jdbc()
              .withConnection(
                  c ->
                      new Seen(
                          HealthJob.observe(
                              target.jdbc(),
                              c,
                              Instant.now(),
                              HealthJob.updatedTables(jobsOnTarget)),
                          AdvisoryFindings.exposure(target.jdbc(), c)));
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
          AdvisoryFindings.of(
              advisories,
              vector == null ? null : vector.installed(),
              seen.exposure(),
              o.serverVersionNum(),
              java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
    } catch (DbException e) {
      return new Inspection(false, "UNREACHABLE: " + e.getMessage(), List.of(), List.of());
    }
  }
}
