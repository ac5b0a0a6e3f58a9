package io.pgvectorops.scheduler;

import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.targets.Targets;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job for one (job, target) pair. Quartz keeps only the two names; the definition is
 * read from this instance's job files, so every instance of a cluster needs the same jobs/.
 */
@DisallowConcurrentExecution
public class ScheduledJob implements Job {
  static final String JOB = "job";
  static final String TARGET = "target";
  static final String RUNNER = "pgvector-ops.runner";
  static final String CATALOG = "pgvector-ops.catalog";
  static final String TARGETS = "pgvector-ops.targets";

  private static final Logger LOG = LoggerFactory.getLogger(ScheduledJob.class);

  @Override
  public void execute(JobExecutionContext context) {
    JobDataMap data = context.getMergedJobDataMap();
    String jobName = data.getString(JOB);
    String targetName = data.getString(TARGET);
    try {
      var ctx = context.getScheduler().getContext();
      JobRunner runner = (JobRunner) ctx.get(RUNNER);
      JobDefinition job = ((JobCatalog) ctx.get(CATALOG)).get(jobName).orElse(null);
      var target = ((Targets) ctx.get(TARGETS)).get(targetName).orElse(null);
      if (job == null || target == null) {
        LOG.warn(
            "{}@{} - fired but this instance's job files or targets do not define it: skipped",
            jobName,
            targetName);
        return;
      }
      Trigger trigger = context.isRecovering() ? Trigger.recovery : Trigger.schedule;
      runner.run(job, target, trigger, context.getScheduledFireTime().toInstant(), job.dryRun());
    } catch (SchedulerException | RuntimeException e) {
      // A failing job never stops the scheduler.
      LOG.error("{}@{} - could not run", jobName, targetName, e);
    }
  }
}
