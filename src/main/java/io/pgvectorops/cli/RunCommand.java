package io.pgvectorops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.targets.Target;
import io.pgvectorops.wiring.Components;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * `run JOB [--target NAME] [--dry-run] config.yml`: one run now, recorded like any other, result as
 * JSON on stdout. Exit 0 succeeded or skipped, 1 failed, 2 bad usage.
 */
public class RunCommand extends OneShotCommand {
  private final Clock clock;

  public RunCommand(Application<OpsConfiguration> application, Clock clock) {
    super("run", "Runs one job once and prints its result as JSON", application);
    this.clock = clock;
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("job").help("name of the job (from the jobs directory)");
    subparser
        .addArgument("--target")
        .help("run on this target only (default: every target of the job)");
    subparser
        .addArgument("--dry-run")
        .dest("dryRun")
        .action(Arguments.storeTrue())
        .help("report what would be done, change nothing");
    super.configure(subparser);
  }

  @Override
  protected void runOnce(
      Bootstrap<OpsConfiguration> bootstrap, Namespace ns, OpsConfiguration config) {
    config.sourceFile = ns.getString("file");
    JobCatalog catalog = Components.loadJobs(config);
    String name = ns.getString("job");
    JobDefinition job = job(catalog, name, config);
    String only = ns.getString("target");
    if (only != null && !job.targets().contains(only)) {
      throw new UsageError(
          "job '"
              + name
              + "' does not run on target '"
              + only
              + "' (it runs on: "
              + String.join(", ", job.targets())
              + ")");
    }
    boolean dryRun = job.dryRun() || Boolean.TRUE.equals(ns.getBoolean("dryRun"));
    try (Components c =
        Components.open(
            config,
            bootstrap.getObjectMapper(),
            cliInstanceId(),
            clock,
            new PrometheusRegistry())) {
      c.liveness.ensureHeld();
      List<RunOutcome> outcomes = new ArrayList<>();
      for (String targetName : job.targets()) {
        if (only == null || only.equals(targetName)) {
          Target target = c.targets.get(targetName).orElseThrow();
          outcomes.add(c.runner.run(job, target, Trigger.cli, null, dryRun));
        }
      }
      print(bootstrap, job, outcomes);
      failIfAnyFailed(outcomes);
    }
  }

  private static JobDefinition job(JobCatalog catalog, String name, OpsConfiguration config) {
    return catalog
        .get(name)
        .orElseThrow(
            () ->
                new UsageError(
                    "no job named '"
                        + name
                        + "' in "
                        + config.jobsDirectory
                        + " (jobs: "
                        + String.join(
                            ", ", catalog.all().stream().map(JobDefinition::name).toList())
                        + ")"));
  }

  /** A failed or interrupted run makes the command exit 1, naming each. */
  private static void failIfAnyFailed(List<RunOutcome> outcomes) {
    List<String> failures =
        outcomes.stream()
            .filter(o -> o.status() == RunStatus.failed || o.status() == RunStatus.interrupted)
            .map(o -> o.job() + "@" + o.target() + " " + o.status() + ": " + o.error())
            .toList();
    if (!failures.isEmpty()) {
      throw new RunFailed(String.join("\n", failures));
    }
  }

  /** What {@code run-once} prints: the job, the worst status of its runs, and each run. */
  record RunOnceReport(String job, String kind, RunStatus status, List<RunOutcome> runs) {}

  private static void print(
      Bootstrap<OpsConfiguration> bootstrap, JobDefinition job, List<RunOutcome> outcomes) {
    RunStatus worst =
        outcomes.stream()
            .map(RunOutcome::status)
            .max((a, b) -> Integer.compare(rank(a), rank(b)))
            .orElse(RunStatus.skipped);
    RunOnceReport out = new RunOnceReport(job.name(), job.kind().name(), worst, outcomes);
    try {
      System.out.println(
          bootstrap
              .getObjectMapper()
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
              .writeValueAsString(out));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int rank(RunStatus s) {
    return switch (s) {
      case skipped -> 0;
      case succeeded -> 1;
      case running -> 2;
      case interrupted -> 3;
      case failed -> 4;
    };
  }

  private static String cliInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return "cli-" + host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    OperatorErrors.print(cli.getStdErr(), e);
  }
}
