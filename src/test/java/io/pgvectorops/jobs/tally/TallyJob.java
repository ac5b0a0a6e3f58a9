package io.pgvectorops.jobs.tally;

import io.pgvectorops.jobs.ApiContext;
import io.pgvectorops.jobs.Job;
import io.pgvectorops.jobs.JobContext;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import java.util.List;

/**
 * A stateful kind made only to prove the plug-in contract: it counts its runs per target in a table
 * of its own, answers the count under /api/tally and exports it as a metric. Everything it needs is
 * declared in {@link #KIND}; no file outside this package (and its resources folder) knows it.
 */
public final class TallyJob implements Job {
  /** The kind's parameters: none needed, a note to show that job-file keys bind. */
  public static final class Params {
    public String note = "";
  }

  /** What a run reports: the count after it. */
  public record Counted(String target, long runs, String note) implements JobSummary {}

  public static final JobKind KIND =
      JobKind.named("tally", Params.class, (d, p, s) -> new TallyJob(p, s.own(TallyStore.class)))
          .keeps(TallyStore.class, TallyStore::new)
          .ownTables("io/pgvectorops/jobs/tally")
          .answers(TallyResource::new)
          .exports((TallyStore s, ApiContext api) -> new TallyMetrics(s))
          .reports(Counted.class)
          .build();

  private final Params params;
  private final TallyStore store;

  TallyJob(Params params, TallyStore store) {
    this.params = params;
    this.store = store;
  }

  @Override
  public JobResult run(JobContext context) {
    String target = context.target().name();
    long runs = store.countRun(target, context.clock().instant());
    return JobResult.succeeded(new Counted(target, runs, params.note), List.of());
  }
}
