package io.pgvectorops.jobs.regression;

import io.pgvectorops.jobs.ApiContext;
import io.pgvectorops.jobs.RebuildHistory;
import io.pgvectorops.wiring.Components;
import java.time.Clock;
import java.util.Map;

/** The regression kind's store and resource as a daemon's components hold them, for tests. */
final class RegressionStores {
  private RegressionStores() {}

  static RegressionStore of(Components c) {
    return c.kinds.services(RegressionJob.KIND).own(RegressionStore.class);
  }

  static RegressionResource api(Components c) {
    return new RegressionResource(
        of(c),
        new ApiContext(
            c.targets,
            Clock.systemUTC(),
            Map.of(RebuildHistory.class, c.kinds.provided(RebuildHistory.class).orElseThrow())));
  }
}
