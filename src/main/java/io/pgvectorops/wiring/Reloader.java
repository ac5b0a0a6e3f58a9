package io.pgvectorops.wiring;

import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.pgvectorops.api.access.LiveAccess;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.EnvSubstitutingSourceProvider;
import io.pgvectorops.config.OperatorConfigurationFactory;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.Reload;
import io.pgvectorops.fleet.Fleet;
import io.pgvectorops.health.DatabaseHealthCheck;
import io.pgvectorops.scheduler.QuartzScheduler;
import jakarta.validation.Validator;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file and the job files, validates both completely, then makes the
 * running daemon match: targets' pools, the job catalogue, the schedule, the health checks and the
 * API's tokens and read access. Every other section (state, scheduler, alerts, prometheus, server,
 * logging, …) takes effect at the next restart and is named in each report while the file differs
 * from what the process started with.
 */
public final class Reloader implements Reload {
  private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

  private final Components c;
  private final QuartzScheduler scheduler;
  private final LiveAccess access;
  private final ObjectMapper mapper;
  private final Validator validator;
  private final HealthCheckRegistry health;
  private final Clock clock;

  /** Every section as the process started with it: what those read only at start still are. */
  private final JsonNode started;

  private volatile OpsConfiguration running;
  private volatile Report last;

  public Reloader(
      Components c,
      QuartzScheduler scheduler,
      LiveAccess access,
      ObjectMapper mapper,
      Validator validator,
      HealthCheckRegistry health,
      Clock clock) {
    this.c = c;
    this.running = c.config;
    this.scheduler = scheduler;
    this.access = access;
    this.mapper = mapper;
    this.validator = validator;
    this.health = health;
    this.clock = clock;
    this.started = mapper.valueToTree(c.config);
  }

  @Override
  public List<String> targetProblems() {
    return c.fleet.problems();
  }

  @Override
  public Optional<Report> last() {
    return Optional.ofNullable(last);
  }

  /** The files read again: the configuration, its targets and job files, and the tokens. */
  private record Reread(
      OpsConfiguration config, Components.Loaded loaded, LiveAccess.Access tokens) {}

  private Reread reread(String file) throws ConfigurationException, IOException {
    OpsConfiguration next = read(file);
    Components.Loaded loaded = Components.load(next, c.fleet, c.kinds.kinds());
    // token files are read again too: a secret rotated in its file counts as a change
    return new Reread(next, loaded, LiveAccess.resolve(next));
  }

  @Override
  public synchronized Report reload(String by) {
    String file = running.sourceFile;
    if (file == null) {
      return refused(by, "the running configuration was not read from a file: nothing to re-read");
    }
    Reread again;
    Changes targets;
    try {
      again = reread(file);
      targets = c.targets.reconcile(again.config(), file, mapper);
    } catch (ConfigError | ConfigurationException | IOException e) {
      return refused(by, message(e));
    }
    OpsConfiguration next = again.config();
    Components.Loaded loaded = again.loaded();
    LiveAccess.Access tokens = again.tokens();
    c.fleet = loaded.fleet();
    access.replace(tokens);
    Changes jobChanges = c.catalog.replace(loaded.catalog(), mapper::valueToTree);
    List<String> needRestart = needRestart(next);
    running = next;
    String error = reschedule(targets);
    Report r =
        new Report(
            clock.instant(),
            by,
            error == null,
            error,
            targets,
            jobChanges,
            needRestart,
            loaded.fleet().problems());
    log(r, tokens);
    last = r;
    return r;
  }

  private static void log(Report r, LiveAccess.Access tokens) {
    LOG.info(
        "reload by {}: targets {}, jobs {}, api {}{}{}",
        r.by(),
        describe(r.targets()),
        describe(r.jobs()),
        tokens.description(),
        r.needRestart().isEmpty()
            ? ""
            : "; changed but applied only at restart: " + r.needRestart(),
        r.error() == null ? "" : "; " + r.error());
  }

  /**
   * Re-reads the target files and re-lists the {@code databases: all} servers with the running
   * configuration, and applies what changed: the periodic half of a reload.
   *
   * @return the targets added, changed and removed (NONE when nothing changed)
   */
  public synchronized Changes relist() {
    Fleet.Resolved fleet;
    Changes targets;
    try {
      fleet = Fleet.resolve(running, c.fleet);
      targets = c.targets.reconcile(running, running.sourceFile, mapper);
    } catch (ConfigError e) {
      LOG.error("targets not re-listed: {}", message(e));
      return Changes.NONE;
    }
    c.fleet = fleet;
    if (targets.added().isEmpty() && targets.changed().isEmpty() && targets.removed().isEmpty()) {
      return Changes.NONE;
    }
    Changes jobs = c.catalog.retarget(running.fleet());
    String error = reschedule(targets);
    LOG.info(
        "targets re-listed: {}; jobs whose targets changed: {}{}",
        describe(targets),
        jobs.changed(),
        error == null ? "" : "; " + error);
    return targets;
  }

  /** The schedule, health checks and first health runs after the targets or jobs changed. */
  private String reschedule(Changes targets) {
    String error = null;
    // Quartz builds its JDBC proxies with the thread's context class loader, which a signal's
    // thread does not have
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(Reloader.class.getClassLoader());
    try {
      scheduler.reconcile();
    } catch (SchedulerException e) {
      error = "the schedule could not be updated: " + e.getMessage();
    } finally {
      thread.setContextClassLoader(previous);
    }
    healthChecks(targets);
    scheduler.runStartupKinds(targets.addedOrChanged());
    return error;
  }

  private Report refused(String by, String error) {
    LOG.error("reload by {} refused, the running configuration stays: {}", by, error);
    Report r =
        new Report(
            clock.instant(),
            by,
            false,
            error,
            Changes.NONE,
            Changes.NONE,
            List.of(),
            c.fleet.problems());
    last = r;
    return r;
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
  }

  private OpsConfiguration read(String file) throws IOException, ConfigurationException {
    OpsConfiguration next =
        new OperatorConfigurationFactory<>(OpsConfiguration.class, validator, mapper, "dw")
            .build(new EnvSubstitutingSourceProvider(new FileConfigurationSourceProvider()), file);
    next.sourceFile = file;
    return next;
  }

  private void healthChecks(Changes targets) {
    targets.removed().forEach(n -> health.unregister("target-" + n));
    targets.addedOrChanged().stream()
        .forEach(
            n ->
                c.targets
                    .get(n)
                    .ifPresent(
                        t -> {
                          health.unregister("target-" + n);
                          health.register("target-" + n, DatabaseHealthCheck.of(t));
                        }));
  }

  /**
   * Sections a reload applies; every other section of the file (ours and Dropwizard's: server,
   * logging, metrics) is read only at start.
   */
  static final Set<String> APPLIED = Set.of("targets", "targetFiles", "jobsDirectory", "api");

  /**
   * Sections read only at start whose text in the file now differs from what the process started
   * with: compared with the start, not the last reload, so a second reload still names them (and a
   * change undone in the file is named no more).
   */
  List<String> needRestart(OpsConfiguration next) {
    JsonNode now = mapper.valueToTree(next);
    Set<String> sections = new TreeSet<>();
    started.fieldNames().forEachRemaining(sections::add);
    now.fieldNames().forEachRemaining(sections::add);
    List<String> differ = new ArrayList<>();
    for (String name : sections) {
      if (!APPLIED.contains(name) && !started.path(name).equals(now.path(name))) {
        differ.add(name);
      }
    }
    return differ;
  }

  private static String describe(Changes ch) {
    return ch.added().size()
        + " added "
        + ch.added()
        + ", "
        + ch.changed().size()
        + " changed "
        + ch.changed()
        + ", "
        + ch.removed().size()
        + " removed "
        + ch.removed();
  }
}
