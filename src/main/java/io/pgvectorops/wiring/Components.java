package io.pgvectorops.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgvectorops.alert.AlertEngine;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.alert.Channels;
import io.pgvectorops.api.metrics.RunInstruments;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.common.Text;
import io.pgvectorops.config.ConfigChecks;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.fleet.Fleet;
import io.pgvectorops.jobfiles.JobFiles;
import io.pgvectorops.jobs.InstalledKinds;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.JobServices;
import io.pgvectorops.jobs.StateAccess;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.scheduler.JobRunner;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.AuditStore;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.state.Liveness;
import io.pgvectorops.state.RunStore;
import io.pgvectorops.state.StateDatabase;
import io.pgvectorops.targets.Targets;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.flywaydb.core.api.FlywayException;

/**
 * What the daemon and the one-shot commands share: job files, target pools, the state database and
 * its stores, and the runner. Built in the order that fails fastest on an operator's mistake: files
 * first, then connections.
 */
public final class Components implements AutoCloseable {
  public final OpsConfiguration config;
  public final JobCatalog catalog;
  public final Targets targets;
  public final StateDatabase state;
  public final RunStore runs;
  public final FindingStore findings;
  public final InventoryStore inventory;

  /** The kinds this daemon runs, with the stores of those that keep data. */
  public final InstalledKinds kinds;

  public final Liveness liveness;
  public final JobRunner runner;
  public final Clock clock;
  public final AlertStore alerts;
  public final AuditStore audit;
  public final Channels channels;
  public final AlertEngine alertEngine;
  public final Advisories advisories;

  /** The targets in force and the sources that could not be read; a reload or re-list swaps it. */
  public volatile Fleet.Resolved fleet = Fleet.Resolved.NONE;

  /** The daemon's Prometheus metrics: the runs' instruments register here. */
  public final PrometheusRegistry prometheus;

  private Components(
      OpsConfiguration config,
      JobCatalog catalog,
      Advisories advisories,
      Targets targets,
      StateDatabase state,
      ObjectMapper mapper,
      String instanceId,
      Clock clock,
      PrometheusRegistry prometheus,
      List<JobKind> kinds) {
    this.config = config;
    this.prometheus = prometheus;
    this.catalog = catalog;
    this.advisories = advisories;
    this.targets = targets;
    this.state = state;
    this.clock = clock;
    this.runs = new RunStore(state.jdbc(), mapper);
    this.findings = new FindingStore(state.jdbc(), mapper);
    this.inventory = new InventoryStore(state.jdbc(), mapper, config.state.historyDays);
    this.liveness = new Liveness(state.dataSource(), instanceId);
    this.alerts = new AlertStore(state.jdbc(), mapper);
    this.audit = new AuditStore(state.jdbc());
    this.channels = new Channels(config.alerts, mapper, config.sourceFile, clock);
    this.alertEngine = new AlertEngine(alerts, config.alerts, channels.ids(), catalog, clock);
    this.kinds =
        InstalledKinds.open(
            kinds,
            new JobServices.Shared(inventory, findings, advisories, targets::get),
            new StateAccess(state.jdbc(), mapper, config.state));
    this.runner =
        new JobRunner(
            catalog,
            this.kinds,
            runs,
            findings,
            liveness,
            clock,
            new RunInstruments(prometheus),
            alertEngine,
            config.scheduler.maxConcurrentRunsPerServer);
  }

  /** The shipped advisories with the operator's files, relative to the configuration file. */
  public static Advisories loadAdvisories(OpsConfiguration config) {
    Path base =
        config.sourceFile == null
            ? Path.of("")
            : Path.of(config.sourceFile).toAbsolutePath().getParent();
    return Advisories.load(
        config.advisoryFiles.stream()
            .map(f -> base == null ? Path.of(f) : base.resolve(f))
            .toList());
  }

  /** The job files and the targets they run on. */
  public record Loaded(JobCatalog catalog, Fleet.Resolved fleet) {}

  /**
   * Checks the configuration, resolves its targets (target files are read and each {@code
   * databases: all} server listed: one short connection each) and loads the job files against them.
   *
   * @param previous the running fleet, whose unreadable sources stand in (NONE at start)
   */
  public static Loaded load(OpsConfiguration config, Fleet.Resolved previous) {
    return load(config, previous, JobKinds.AVAILABLE);
  }

  /** As above, with the job files' {@code kind:} taken from {@code kinds}. */
  public static Loaded load(OpsConfiguration config, Fleet.Resolved previous, List<JobKind> kinds) {
    ConfigChecks.check(config, config.sourceFile == null ? "configuration" : config.sourceFile);
    Fleet.Resolved fleet = Fleet.resolve(config, previous);
    JobCatalog catalog =
        new JobFiles(config, kinds).load(JobFiles.directory(config, config.sourceFile));
    return new Loaded(catalog, fleet);
  }

  /** {@link #load} at start. */
  public static JobCatalog loadJobs(OpsConfiguration config) {
    return load(config, Fleet.Resolved.NONE).catalog();
  }

  public static Components open(
      OpsConfiguration config,
      ObjectMapper mapper,
      String instanceId,
      Clock clock,
      PrometheusRegistry prometheus) {
    return open(config, mapper, instanceId, clock, prometheus, JobKinds.AVAILABLE);
  }

  /** As above, running {@code kinds} (the registered ones, or a test's list). */
  public static Components open(
      OpsConfiguration config,
      ObjectMapper mapper,
      String instanceId,
      Clock clock,
      PrometheusRegistry prometheus,
      List<JobKind> kinds) {
    Loaded loaded = load(config, Fleet.Resolved.NONE, kinds);
    JobCatalog catalog = loaded.catalog();
    Advisories advisories = loadAdvisories(config);
    // ISO-8601 timestamps in stored JSON (run summaries, webhook payloads), whatever the caller's
    // mapper does
    mapper = mapper.copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    Targets targets = new Targets(config, config.sourceFile);
    StateDatabase state = new StateDatabase(config, config.sourceFile);
    try {
      state.migrate(InstalledKinds.ownTables(kinds));
    } catch (FlywayException | DbException e) {
      targets.close();
      state.close();
      throw new ConfigError(
          "state database "
              + state.url()
              + " (schema "
              + state.schema()
              + "): cannot prepare the state schema: "
              + rootMessage(e),
          e);
    }
    Components c =
        new Components(
            config,
            catalog,
            advisories,
            targets,
            state,
            mapper,
            instanceId,
            clock,
            prometheus,
            kinds);
    c.fleet = loaded.fleet();
    return c;
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return Text.firstLine(
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
  }

  @Override
  public void close() {
    liveness.close();
    targets.close();
    state.close();
  }
}
