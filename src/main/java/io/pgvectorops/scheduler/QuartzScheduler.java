package io.pgvectorops.scheduler;

import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.config.SchedulerConfig;
import io.pgvectorops.jobfiles.HashedCron;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.state.StateDatabase;
import io.pgvectorops.targets.Targets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.TriggerListener;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.listeners.TriggerListenerSupport;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with its JDBC JobStore in the state schema. Clustered by default: instances with the same
 * scheduler name on one state schema share the schedule and take over a dead one's work.
 */
public class QuartzScheduler implements Managed {
  static final String GROUP = "pgvector-ops";
  private static final Logger LOG = LoggerFactory.getLogger(QuartzScheduler.class);

  private final SchedulerConfig config;
  private final String instanceId;
  private final StateDatabase state;
  private final JobCatalog catalog;
  private final Targets targets;
  private final JobRunner runner;
  private Scheduler scheduler;

  public QuartzScheduler(
      SchedulerConfig config,
      String instanceId,
      StateDatabase state,
      JobCatalog catalog,
      Targets targets,
      JobRunner runner) {
    this.config = config;
    this.instanceId = instanceId;
    this.state = state;
    this.catalog = catalog;
    this.targets = targets;
    this.runner = runner;
  }

  /** Quartz's clustered JDBC store in the state schema, on the state database's pool. */
  private Properties properties(String dataSourceName) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", config.name);
    p.setProperty("org.quartz.scheduler.instanceId", instanceId);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(config.threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
    p.setProperty("org.quartz.jobStore.tablePrefix", state.schema() + ".qrtz_");
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.isClustered", String.valueOf(config.clustered));
    p.setProperty(
        "org.quartz.jobStore.clusterCheckinInterval",
        String.valueOf(config.checkinInterval.toMilliseconds()));
    p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    // Not batchTriggerAcquisitionMaxCount: it needs the acquisition inside Quartz's cluster lock,
    // which bench/fleet measured to double the time spent waiting for that lock (docs/fleet.md)
    return p;
  }

  /** Quartz's connections are the state database's pool's. */
  private ConnectionProvider stateConnections() {
    return new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return state.dataSource().getConnection();
      }

      @Override
      public void shutdown() {
        // the pool belongs to StateDatabase, which closes it after the scheduler
      }

      @Override
      public void initialize() {}
    };
  }

  @Override
  public void start() throws SchedulerException {
    String dataSourceName = "state-" + UUID.randomUUID();
    DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, stateConnections());
    scheduler = new StdSchedulerFactory(properties(dataSourceName)).getScheduler();
    scheduler.getContext().put(ScheduledJob.RUNNER, runner);
    scheduler.getContext().put(ScheduledJob.CATALOG, catalog);
    scheduler.getContext().put(ScheduledJob.TARGETS, targets);
    scheduler.getListenerManager().addTriggerListener(misfireCounter());
    reconcile();
    scheduler.start();
    runHealthNow();
    LOG.info(
        "scheduler {} started: instance {}, {} thread(s), clustered={}, {} scheduled job(s)",
        config.name,
        scheduler.getSchedulerInstanceId(),
        config.threads,
        config.clustered,
        scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).size());
  }

  /** Counts and logs fires Quartz could not hand a thread within the misfire threshold. */
  private TriggerListener misfireCounter() {
    return new TriggerListenerSupport() {
      @Override
      public String getName() {
        return "pgvector-ops-misfires";
      }

      @Override
      public void triggerMisfired(org.quartz.Trigger trigger) {
        String pair = trigger.getJobKey().getName();
        LOG.warn(
            "{} - a fire found no free scheduler thread within a minute: it runs once, late"
                + " (scheduler.threads, scheduler.maxConcurrentRunsPerServer)",
            pair);
        runner.misfired(pair.substring(0, Math.max(0, pair.lastIndexOf('@'))));
      }
    };
  }

  /**
   * Makes the Quartz store match the job files: adds new (job, target) pairs, replaces those whose
   * schedule changed, removes those no file defines any more. Unchanged triggers are kept so their
   * next fire time is not reset.
   */
  /** One job-target pair's job and cron trigger, replacing what was stored under its key. */
  private void schedule(
      JobKey key, TriggerKey tkey, String job, String target, String schedule, TimeZone zone)
      throws SchedulerException {
    JobDetail detail =
        JobBuilder.newJob(ScheduledJob.class)
            .withIdentity(key)
            .usingJobData(ScheduledJob.JOB, job)
            .usingJobData(ScheduledJob.TARGET, target)
            .requestRecovery(true)
            .storeDurably(false)
            .build();
    CronTrigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(tkey)
            .forJob(key)
            .withSchedule(
                CronScheduleBuilder.cronSchedule(schedule)
                    .inTimeZone(zone)
                    // after downtime: one catch-up run, not one per missed fire
                    .withMisfireHandlingInstructionFireAndProceed())
            .build();
    scheduler.scheduleJob(detail, Set.of(trigger), true);
  }

  public synchronized void reconcile() throws SchedulerException {
    TimeZone zone = TimeZone.getTimeZone(config.timeZone);
    Set<JobKey> wanted = new HashSet<>();
    int added = 0;
    int changed = 0;
    for (JobDefinition job : catalog.all()) {
      for (String target : job.targets()) {
        JobKey key = jobKey(job.name(), target);
        wanted.add(key);
        TriggerKey tkey = TriggerKey.triggerKey(key.getName(), GROUP);
        // H tokens become this pair's own values, the same on every instance and after restarts
        String schedule = HashedCron.expand(job.schedule(), key.getName());
        var existing = scheduler.getTrigger(tkey);
        if (existing instanceof CronTrigger cron
            && cron.getCronExpression().equals(schedule)
            && cron.getTimeZone().getID().equals(zone.getID())) {
          continue;
        }
        schedule(key, tkey, job.name(), target, schedule, zone);
        if (existing == null) {
          added++;
        } else {
          changed++;
        }
      }
    }
    int removed = 0;
    for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!wanted.contains(key)) {
        scheduler.deleteJob(key);
        removed++;
      }
    }
    LOG.info(
        "schedule reconciled with job files: {} added, {} changed, {} removed, {} unchanged",
        added,
        changed,
        removed,
        wanted.size() - added - changed);
  }

  /**
   * Startup kinds (health) once at start, in the background, so targets' state is known within
   * seconds.
   */
  private void runHealthNow() {
    runStartupKinds(targets.all().stream().map(t -> t.name()).toList());
  }

  /** Startup kinds (health) now on these targets: after a reload, for those added or changed. */
  public void runStartupKinds(Collection<String> on) {
    for (JobDefinition job : catalog.all()) {
      if (job.kind().runsAtStartup()) {
        job.targets().stream()
            .filter(on::contains)
            .forEach(
                t ->
                    targets
                        .get(t)
                        .ifPresent(
                            target -> runner.submit(job, target, Trigger.startup, job.dryRun())));
      }
    }
  }

  static JobKey jobKey(String job, String target) {
    return JobKey.jobKey(job + "@" + target, GROUP);
  }

  /** Next fire time of a job over all its targets. */
  public Optional<Instant> nextFireTime(JobDefinition job) {
    return job.targets().stream()
        .map(t -> nextFireTime(job, t))
        .filter(Objects::nonNull)
        .min(Instant::compareTo);
  }

  /**
   * When the job next fires on this target (with H tokens, each pair has its own time); null when
   * the pair is not scheduled (yet) or the scheduler is not running.
   */
  public Instant nextFireTime(JobDefinition job, String target) {
    if (scheduler == null) {
      return null;
    }
    try {
      var trig =
          scheduler.getTrigger(TriggerKey.triggerKey(jobKey(job.name(), target).getName(), GROUP));
      return trig == null || trig.getNextFireTime() == null
          ? null
          : trig.getNextFireTime().toInstant();
    } catch (SchedulerException e) {
      return null;
    }
  }

  public String state() {
    try {
      if (scheduler == null || scheduler.isShutdown()) {
        return "stopped";
      }
      return scheduler.isInStandbyMode() ? "standby" : "running";
    } catch (SchedulerException e) {
      return "unknown";
    }
  }

  public String instanceId() {
    try {
      return scheduler == null ? null : scheduler.getSchedulerInstanceId();
    } catch (SchedulerException e) {
      return null;
    }
  }

  /** Stops firing, cancels running statements, waits briefly for runs to record themselves. */
  @Override
  public void stop() throws SchedulerException {
    if (scheduler == null) {
      return;
    }
    scheduler.standby();
    runner.shutdown(Duration.ofSeconds(15));
    Thread waiter =
        new Thread(
            () -> {
              try {
                scheduler.shutdown(true);
              } catch (SchedulerException e) {
                LOG.warn("scheduler shutdown: {}", e.getMessage());
              }
            },
            "scheduler-shutdown");
    waiter.start();
    try {
      waiter.join(Duration.ofSeconds(20).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (waiter.isAlive()) {
      LOG.warn(
          "scheduler did not stop within 20 s; {} run(s) still active are left to the interrupted-run sweep",
          runner.activeRuns());
    }
  }
}
