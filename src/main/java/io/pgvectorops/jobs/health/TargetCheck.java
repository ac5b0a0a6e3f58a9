package io.pgvectorops.jobs.health;

import io.pgvectorops.jobs.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.target.Target;
import java.time.Instant;
import java.util.List;

/**
 * The `check` command's view of a target: the health job's observation and findings, nothing
 * stored.
 */
public final class TargetCheck {
  public record Result(boolean reachable, String headline, List<Finding> findings) {}

  private TargetCheck() {}

  public static Result check(
      Target target, List<JobDefinition> jobsOnTarget, String minPgvectorVersion) {
    try {
      Observation o =
          target
              .jdbc()
              .withConnection(
                  c ->
                      HealthJob.observe(
                          target.jdbc(), c, Instant.now(), HealthJob.tieredTables(jobsOnTarget)));
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
      return new Result(
          true, headline, HealthFindings.of(target.name(), o, minPgvectorVersion, jobsOnTarget));
    } catch (DbException e) {
      return new Result(false, "UNREACHABLE: " + e.getMessage(), List.of());
    }
  }

  public static String defaultMinPgvectorVersion() {
    return new HealthParams().minPgvectorVersion;
  }
}
