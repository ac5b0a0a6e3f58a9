package io.pgvectorops.jobs;

import io.pgvectorops.jobs.bloat.BloatKind;
import io.pgvectorops.jobs.health.HealthKind;
import io.pgvectorops.jobs.prewarm.PrewarmKind;
import io.pgvectorops.jobs.rebuild.RebuildKind;
import io.pgvectorops.jobs.regression.RegressionKind;
import io.pgvectorops.jobs.slowqueries.SlowQueriesKind;
import io.pgvectorops.jobs.sqlcheck.SqlCheckKind;
import io.pgvectorops.jobs.tiering.TieringKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every job kind this build knows, registered in one place. */
public final class JobKinds {
  public static final List<JobKind> AVAILABLE =
      List.of(
          new HealthKind(),
          new BloatKind(),
          new SlowQueriesKind(),
          new SqlCheckKind(),
          new RebuildKind(),
          new PrewarmKind(),
          new TieringKind(),
          new RegressionKind());

  private JobKinds() {}

  public static Optional<JobKind> byName(String name) {
    return AVAILABLE.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  public static String availableNames() {
    return AVAILABLE.stream().map(JobKind::name).collect(Collectors.joining(", "));
  }
}
