package io.pgvectorops.jobs.rebuild;

import io.pgvectorops.common.Threads;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.targets.DdlSession;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an index build's progress (pg_stat_progress_create_index of the building session) as
 * the run's progress, every second while the build runs, on the run's own session.
 */
final class BuildProgress {
  private static final Logger LOG = LoggerFactory.getLogger(BuildProgress.class);

  /** Where a build is, as the dashboard and {@code /api/runs/{id}} show it during the run. */
  record Report(
      String index,
      String phase,
      long blocksDone,
      long blocksTotal,
      long tuplesDone,
      long tuplesTotal,
      Double percent)
      implements JobSummary {}

  private BuildProgress() {}

  /** Starts following backend {@code pid}; closing the watch stops it. */
  static DdlSession.Watch follow(JobContext ctx, String index, int pid) {
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(Threads.named("rebuild-progress"));
    poller.scheduleWithFixedDelay(() -> publish(ctx, index, pid), 200, 1000, TimeUnit.MILLISECONDS);
    return poller::shutdownNow;
  }

  private static void publish(JobContext ctx, String index, int pid) {
    try {
      ctx.target()
          .jdbc()
          .query(
              ctx.connection(),
              SqlFile.load("probes/index_build_progress"),
              rs -> {
                long total = rs.getLong("blocks_total");
                long done = rs.getLong("blocks_done");
                ctx.progress()
                    .accept(
                        new Report(
                            index,
                            rs.getString("phase"),
                            done,
                            total,
                            rs.getLong("tuples_done"),
                            rs.getLong("tuples_total"),
                            total > 0 ? Math.round(1000.0 * done / total) / 10.0 : null));
                return null;
              },
              pid);
    } catch (DbException e) {
      // progress is informative only: the build goes on, the next poll tries again
      LOG.debug("progress of {} not read: {}", index, e.getMessage());
    }
  }
}
