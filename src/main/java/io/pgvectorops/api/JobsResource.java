package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.scheduler.JobRunner;
import io.pgvectorops.scheduler.QuartzScheduler;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.state.RunRecord;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.Targets;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
  private final JobCatalog catalog;
  private final Targets targets;
  private final RunStore runs;
  private final QuartzScheduler scheduler;
  private final JobRunner runner;

  public JobsResource(
      JobCatalog catalog,
      Targets targets,
      RunStore runs,
      QuartzScheduler scheduler,
      JobRunner runner) {
    this.catalog = catalog;
    this.targets = targets;
    this.runs = runs;
    this.scheduler = scheduler;
    this.runner = runner;
  }

  /**
   * A job as {@code GET /api/jobs} lists it, with its next fire time and its last run.
   *
   * @param fixes the finding kinds a run of its kind can fix (the dashboard offers it beside them)
   */
  public record JobView(
      String name,
      String kind,
      String schedule,
      List<String> targets,
      String window,
      boolean dryRun,
      String file,
      Instant nextFireTime,
      RunRecord lastRun,
      List<String> fixes) {}

  @Reading
  @GET
  public List<JobView> list() {
    Map<String, RunRecord> last =
        runs.latestPerJob().stream().collect(Collectors.toMap(RunRecord::job, Function.identity()));
    return catalog.all().stream()
        .map(j -> view(j, scheduler.nextFireTime(j).orElse(null), last.get(j.name())))
        .toList();
  }

  private static JobView view(JobDefinition j, Instant nextFireTime, RunRecord lastRun) {
    return new JobView(
        j.name(),
        j.kind().name(),
        j.schedule(),
        j.targets(),
        j.window() == null ? null : j.window().toString(),
        j.dryRun(),
        j.file(),
        nextFireTime,
        lastRun,
        j.kind().fixes());
  }

  /** One target of a job: when the job next fires there. */
  public record TargetSchedule(String target, Instant nextFireTime) {}

  /** {@code GET /api/jobs/{name}}: the job as the list shows it, and each target's next fire. */
  public record JobDetail(@JsonUnwrapped JobView job, List<TargetSchedule> perTarget) {}

  @Reading
  @GET
  @Path("/{name}")
  public JobDetail get(@PathParam("name") String name) {
    JobDefinition j = job(name);
    // this job's triggers, each read once; the job's next fire is the earliest of them
    List<TargetSchedule> perTarget =
        j.targets().stream().map(t -> new TargetSchedule(t, scheduler.nextFireTime(j, t))).toList();
    Instant next =
        perTarget.stream()
            .map(TargetSchedule::nextFireTime)
            .filter(Objects::nonNull)
            .min(Instant::compareTo)
            .orElse(null);
    RunRecord last = runs.ofJob(name, 1).stream().findFirst().orElse(null);
    return new JobDetail(view(j, next, last), perTarget);
  }

  @Reading
  @GET
  @Path("/{name}/runs")
  public List<RunRecord> runs(@PathParam("name") String name, @QueryParam("limit") String limit) {
    job(name);
    return runs.ofJob(name, Params.limit(limit, 20, 1000));
  }

  /** The target a run-now names, or the job's only one. */
  private static String targetOf(JobDefinition job, String targetName) {
    if (targetName == null && job.targets().size() != 1) {
      throw new BadRequestException(
          "job '"
              + job.name()
              + "' runs on "
              + job.targets().size()
              + " targets: choose one with ?target= ("
              + String.join(", ", job.targets())
              + ")");
    }
    String tn = targetName != null ? targetName : job.targets().get(0);
    if (!job.targets().contains(tn)) {
      throw new BadRequestException(
          "job '"
              + job.name()
              + "' does not run on target '"
              + tn
              + "' (it runs on: "
              + String.join(", ", job.targets())
              + ")");
    }
    return tn;
  }

  @Mutating(role = Role.operator, action = "run-now")
  @POST
  @Path("/{name}/run")
  public Response runNow(
      @PathParam("name") String name,
      @QueryParam("target") String targetName,
      @QueryParam("dryRun") String dryRun) {
    JobDefinition job = job(name);
    String tn = targetOf(job, targetName);
    if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
      throw new BadRequestException("dryRun must be true or false, got '" + dryRun + "'");
    }
    Target target = targets.get(tn).orElseThrow();
    long id;
    // one check-and-start at a time on this instance, so a burst of clicks starts one run
    synchronized (this) {
      runs.running(name, tn)
          .ifPresent(
              r -> {
                throw Params.conflict(
                    "run "
                        + r.id()
                        + " of job '"
                        + name
                        + "' on target '"
                        + tn
                        + "' is running (started "
                        + r.startedAt()
                        + "): GET /api/runs/"
                        + r.id());
              });
      try {
        id = runner.submit(job, target, Trigger.manual, job.dryRun() || "true".equals(dryRun));
      } catch (IllegalStateException e) {
        throw new ServiceUnavailableException(e.getMessage());
      }
    }
    return Response.accepted(Map.of("runId", id, "job", name, "target", tn)).build();
  }

  private JobDefinition job(String name) {
    return catalog
        .get(name)
        .orElseThrow(() -> new NotFoundException("no job named '" + name + "'"));
  }
}
