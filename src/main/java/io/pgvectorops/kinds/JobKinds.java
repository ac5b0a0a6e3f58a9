package io.pgvectorops.kinds;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.findings.SharedFindings;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.TargetInspector;
import io.pgvectorops.jobs.bloat.BloatJob;
import io.pgvectorops.jobs.capacity.CapacityJob;
import io.pgvectorops.jobs.health.HealthJob;
import io.pgvectorops.jobs.prewarm.PrewarmJob;
import io.pgvectorops.jobs.quantization.QuantizationTrialJob;
import io.pgvectorops.jobs.rebuild.RebuildJob;
import io.pgvectorops.jobs.regression.RegressionJob;
import io.pgvectorops.jobs.slowqueries.SlowQueriesJob;
import io.pgvectorops.jobs.sqlcheck.SqlCheckJob;
import io.pgvectorops.jobs.tiering.TieringJob;
import io.pgvectorops.targets.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every job kind this build knows, registered in one place: the one line a new kind adds. */
public final class JobKinds {
  public static final List<JobKind> AVAILABLE =
      List.of(
          HealthJob.KIND,
          BloatJob.KIND,
          SlowQueriesJob.KIND,
          SqlCheckJob.KIND,
          RebuildJob.KIND,
          PrewarmJob.KIND,
          TieringJob.KIND,
          RegressionJob.KIND,
          CapacityJob.KIND,
          QuantizationTrialJob.KIND);

  private static final Map<String, FindingKind> FINDING_KINDS = declaredFindingKinds();

  private JobKinds() {}

  /**
   * The one declared list of finding kinds, by name. A name two kinds declare must be the same
   * declaration (shared kinds live in {@link SharedFindings}).
   */
  public static Map<String, FindingKind> findingKinds() {
    return FINDING_KINDS;
  }

  /** What a finding kind advises; sql-check's kinds are named in job files, so not declared. */
  public static String actionFor(String kind, String object, String target, String job) {
    FindingKind declared = FINDING_KINDS.get(kind);
    String action = declared == null ? FindingKind.LOOK_AND_RECHECK : declared.action();
    return FindingKind.fill(action, object, target, job);
  }

  /** The first kind that inspects targets, asked about one target for the {@code check} command. */
  public static Optional<TargetInspector.Inspection> inspect(
      Target target, List<JobDefinition> jobs, Advisories advisories) {
    return AVAILABLE.stream()
        .flatMap(k -> k.inspect(target, jobs, advisories).stream())
        .findFirst();
  }

  private static Map<String, FindingKind> declaredFindingKinds() {
    Map<String, FindingKind> byName = new LinkedHashMap<>();
    for (JobKind kind : AVAILABLE) {
      for (FindingKind f : kind.findingKinds()) {
        FindingKind earlier = byName.putIfAbsent(f.name(), f);
        if (earlier != null && !earlier.equals(f)) {
          throw new IllegalStateException(
              "finding kind " + f.name() + " is declared twice, differently (" + kind.name() + ")");
        }
      }
    }
    return Map.copyOf(byName);
  }
}
