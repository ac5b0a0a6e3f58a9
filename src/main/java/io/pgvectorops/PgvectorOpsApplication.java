package io.pgvectorops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.pgvectorops.alert.AlertmanagerRefresher;
import io.pgvectorops.alert.DeliveryWorker;
import io.pgvectorops.alert.EmailChannel;
import io.pgvectorops.api.AlertsResource;
import io.pgvectorops.api.AuditResource;
import io.pgvectorops.api.BodyLimitFilter;
import io.pgvectorops.api.DbExceptionMapper;
import io.pgvectorops.api.FindingsResource;
import io.pgvectorops.api.JobsResource;
import io.pgvectorops.api.JsonErrorHandler;
import io.pgvectorops.api.JsonErrorMapper;
import io.pgvectorops.api.ReloadResource;
import io.pgvectorops.api.RunsResource;
import io.pgvectorops.api.SessionResource;
import io.pgvectorops.api.SilencesResource;
import io.pgvectorops.api.StatePatienceFilter;
import io.pgvectorops.api.StatusResource;
import io.pgvectorops.api.TargetsResource;
import io.pgvectorops.api.Timeline;
import io.pgvectorops.api.access.AccessFilter;
import io.pgvectorops.api.access.AdminPortFilter;
import io.pgvectorops.api.access.AuditFilter;
import io.pgvectorops.api.access.LiveAccess;
import io.pgvectorops.api.access.RequestShapeFilter;
import io.pgvectorops.api.metrics.AuthFailures;
import io.pgvectorops.api.metrics.KindCollector;
import io.pgvectorops.api.metrics.StateCollector;
import io.pgvectorops.cli.CheckCommand;
import io.pgvectorops.cli.OperatorErrors;
import io.pgvectorops.cli.RunCommand;
import io.pgvectorops.cli.ServerCommand;
import io.pgvectorops.config.EffectiveConfig;
import io.pgvectorops.config.EnvSubstitutingSourceProvider;
import io.pgvectorops.config.OperatorConfigurationFactory;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.Reload;
import io.pgvectorops.dashboard.DashboardResource;
import io.pgvectorops.health.DatabaseHealthCheck;
import io.pgvectorops.health.SchedulerHealthCheck;
import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.jobs.SummaryLayout;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.scheduler.QuartzScheduler;
import io.pgvectorops.scheduler.RunSweeper;
import io.pgvectorops.state.AuditStore;
import io.pgvectorops.state.StateDatabase;
import io.pgvectorops.wiring.Components;
import io.pgvectorops.wiring.FleetWatcher;
import io.pgvectorops.wiring.Reloader;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

public class PgvectorOpsApplication extends Application<OpsConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PgvectorOpsApplication.class);
  private final Clock clock;
  private final List<JobKind> kinds;

  public PgvectorOpsApplication() {
    this(Clock.systemUTC());
  }

  public PgvectorOpsApplication(Clock clock) {
    this(clock, JobKinds.AVAILABLE);
  }

  /**
   * A daemon running {@code kinds}: the registered ones, or a test's list with a kind of its own.
   */
  public PgvectorOpsApplication(Clock clock, List<JobKind> kinds) {
    this.clock = clock;
    this.kinds = List.copyOf(kinds);
  }

  public static void main(String[] args) throws Exception {
    new PgvectorOpsApplication().run(args);
  }

  @Override
  public String getName() {
    return "pgvector-ops";
  }

  public static String version() {
    String v = PgvectorOpsApplication.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void initialize(Bootstrap<OpsConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new EnvSubstitutingSourceProvider(new FileConfigurationSourceProvider()));
    bootstrap.setConfigurationFactoryFactory(OperatorConfigurationFactory::new);
    bootstrap
        .getObjectMapper()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // request bodies with unknown fields are refused (400), as unknown keys in files are
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    bootstrap.addCommand(new CheckCommand(this));
    bootstrap.addCommand(new RunCommand(this, clock));
  }

  @Override
  protected void addDefaultCommands(Bootstrap<OpsConfiguration> bootstrap) {
    bootstrap.addCommand(new ServerCommand(this));
  }

  @Override
  public void run(OpsConfiguration config, Environment env) {
    LOG.info("pgvector-ops {} starting with {}", version(), EffectiveConfig.describe(config));
    String instanceId = config.scheduler.resolvedInstanceId();
    PrometheusRegistry prometheus = new PrometheusRegistry();
    Components c =
        Components.open(config, env.getObjectMapper(), instanceId, clock, prometheus, kinds);
    QuartzScheduler scheduler =
        new QuartzScheduler(config.scheduler, instanceId, c.state, c.catalog, c.targets, c.runner);

    manageBackground(env, config, c, scheduler);
    checkSmtpInBackground(config, c);
    LiveAccess access = new LiveAccess(LiveAccess.resolve(config));
    Reloader reloader =
        new Reloader(
            c,
            scheduler,
            access,
            env.getObjectMapper(),
            env.getValidator(),
            env.healthChecks(),
            clock);
    env.lifecycle()
        .manage(
            new FleetWatcher(
                reloader, Duration.ofMillis(config.discovery.interval.toMilliseconds())));
    AuditFilter audit = new AuditFilter(c.audit, clock);
    reloadOnSighup(reloader, audit, config.sourceFile);
    registerApi(env, c, scheduler, access, reloader, audit);
    registerHealthChecks(env, c, scheduler);
    exposePrometheus(env, c);
  }

  /** A mail server that cannot be reached at start is a warning: notifications wait for it. */
  private static void checkSmtpInBackground(OpsConfiguration config, Components c) {
    c.channels.all().stream()
        .filter(ch -> ch instanceof EmailChannel)
        .findFirst()
        .ifPresent(
            email ->
                new Thread(
                        () -> {
                          try {
                            ((EmailChannel) email).testConnection();
                          } catch (RuntimeException e) {
                            LOG.warn(
                                "alerts.email.host {}:{} cannot be reached now ({}): notifications wait in the outbox until it can",
                                config.alerts.email.host,
                                config.alerts.email.port,
                                e.getMessage());
                          }
                        },
                        "smtp-check")
                    .start());
  }

  /**
   * {@code systemctl reload} sends SIGHUP: reload as {@code POST /api/reload} does, recorded in the
   * audit trail as coming from the signal.
   */
  private void reloadOnSighup(Reloader reloader, AuditFilter audit, String file) {
    Runnable reload =
        () -> {
          Reload.Report r = reloader.reload("SIGHUP");
          audit.record(
              new AuditStore.Entry(
                  0,
                  clock.instant(),
                  null,
                  null,
                  "signal SIGHUP",
                  "reload",
                  file,
                  r.applied() ? AuditStore.Outcome.succeeded : AuditStore.Outcome.failed,
                  0,
                  r.error()));
        };
    try {
      SignalHandler before =
          Signal.handle(new Signal("HUP"), signal -> new Thread(reload, "reload").start());
      if (before == SignalHandler.SIG_IGN) {
        // the JVM keeps an ignored SIGHUP ignored (nohup): our handler is not installed
        LOG.warn(
            "SIGHUP is ignored by this process (started under nohup?): systemctl reload and kill"
                + " -HUP do nothing; reload through POST /api/reload");
      }
    } catch (IllegalArgumentException e) {
      // e.g. the JVM runs with -Xrs: POST /api/reload still works
      LOG.warn(
          "SIGHUP cannot be handled here ({}): reload through POST /api/reload", e.getMessage());
    }
  }

  /**
   * What runs beside the requests, started and stopped with the server: the state pool and target
   * pools, the sweeper of dead processes' runs, the scheduler, the alert outbox and Alertmanager's
   * refresher.
   */
  private void manageBackground(
      Environment env, OpsConfiguration config, Components c, QuartzScheduler scheduler) {
    env.lifecycle().manage(c.state);
    env.lifecycle().manage(c.targets);
    env.lifecycle()
        .manage(
            new RunSweeper(
                c.liveness,
                c.runs,
                clock,
                Duration.ofMillis(
                    Math.max(5_000, config.scheduler.checkinInterval.toMilliseconds() * 2)),
                Duration.ofDays(config.state.runDays),
                c.kinds.kinds().stream().filter(JobKind::keepsRuns).map(JobKind::name).toList()));
    env.lifecycle().manage(scheduler);
    env.lifecycle()
        .manage(
            new DeliveryWorker(
                c.alerts, c.alertEngine, c.channels, config.alerts, clock, env.metrics()));

    env.lifecycle()
        .manage(
            new AlertmanagerRefresher(
                c.alerts,
                c.alertEngine,
                c.channels.alertmanagers(),
                Duration.ofMillis(config.alerts.alertmanagerResendInterval.toMilliseconds()),
                clock));
  }

  private void registerApi(
      Environment env,
      Components c,
      QuartzScheduler scheduler,
      LiveAccess access,
      Reload reload,
      AuditFilter audit) {
    registerGuards(env, c, access, audit);
    List<Object> resources = resources(env, c, scheduler, access, reload);
    resources.forEach(env.jersey()::register);
    // the calls a token's role allows, listed from the resources' @Mutating methods
    env.jersey()
        .register(
            new SessionResource(
                access, resources.stream().<Class<?>>map(Object::getClass).toList()));
  }

  /** The API's resources: the chassis's, with the kinds' own after the targets'. */
  private List<Object> resources(
      Environment env, Components c, QuartzScheduler scheduler, LiveAccess access, Reload reload) {
    List<Object> out = new ArrayList<>();
    out.add(
        new StatusResource(
            version(),
            clock.instant(),
            clock,
            scheduler,
            c.targets,
            c.inventory,
            c.findings,
            c.alerts,
            access,
            reload,
            env.getObjectMapper(),
            c.advisories));
    out.add(new DashboardResource());
    out.add(new AlertsResource(c.alerts, c.alertEngine, c.channels, clock, env.getObjectMapper()));
    out.add(new SilencesResource(c.alerts, clock, c.config.alerts, c.targets));
    out.add(
        new TargetsResource(
            c.targets,
            c.inventory,
            IndexFigures.of(c.kinds),
            env.getObjectMapper(),
            c.findings,
            c.advisories,
            new Timeline.Sources(c.runs, c.audit, clock)));
    out.addAll(c.kinds.resources(c.targets, clock));
    out.add(new JobsResource(c.catalog, c.targets, c.runs, scheduler, c.runner));
    out.add(
        new RunsResource(
            c.runs, c.findings, SummaryLayout.ofKinds(c.kinds.kinds(), env.getObjectMapper())));
    out.add(new FindingsResource(c.findings));
    out.add(new AuditResource(c.audit));
    out.add(new ReloadResource(reload));
    return out;
  }

  /**
   * What stands between a request and a resource: the admin port's rule, the body limit, JSON error
   * pages, the request's shape, the access rule of the matched method, the audit trail, and the
   * mappers of the state database's and JSON's errors.
   */
  private static void registerGuards(
      Environment env, Components c, LiveAccess access, AuditFilter audit) {
    env.admin()
        .addFilter("admin-access", new AdminPortFilter(access))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    env.servlets()
        .addFilter("body-limit", new BodyLimitFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    env.lifecycle()
        .addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));
    env.jersey().register(new RequestShapeFilter());
    env.jersey().register(new AccessFilter(access, new AuthFailures(c.prometheus)));
    env.jersey().register(audit);
    env.servlets()
        .addFilter(
            "state-patience",
            new StatePatienceFilter(StateDatabase.CONNECT_TIMEOUT.toMilliseconds()))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/*");
    env.jersey().register(new DbExceptionMapper());
    env.jersey().register(new JsonErrorMapper());
  }

  private static void registerHealthChecks(
      Environment env, Components c, QuartzScheduler scheduler) {
    env.healthChecks().register("state-database", DatabaseHealthCheck.of(c.state));
    env.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler));
    c.targets
        .all()
        .forEach(t -> env.healthChecks().register("target-" + t.name(), DatabaseHealthCheck.of(t)));
  }

  /**
   * /metrics/prometheus on the admin port: our own series under pgvector_ops_ (the runs'
   * instruments and the state schema's figures) and the JVM's and Jetty's through the Dropwizard
   * bridge under their library names. Our Dropwizard metrics (alert channels' counters) stay on
   * /metrics only: their names would carry channel names.
   */
  private static void exposePrometheus(Environment env, Components c) {
    PrometheusRegistry prometheus = c.prometheus;
    DropwizardExports.builder()
        .dropwizardRegistry(env.metrics())
        .metricFilter((name, metric) -> !name.startsWith("alerts.") && !name.startsWith("jobs."))
        .register(prometheus);
    prometheus.register(
        new StateCollector(
            new StateCollector.Sources(
                c.targets, c.inventory, IndexFigures.of(c.kinds), c.runs, c.findings, c.alerts),
            c.config.prometheus.maxIndexesPerTarget,
            c.config.prometheus.targetLabels,
            c.clock));
    KindCollector.registerAll(c.kinds.collectors(c.targets, c.clock), prometheus, c.clock);
    env.admin()
        .addServlet("prometheus", new PrometheusMetricsServlet(prometheus))
        .addMapping("/metrics/prometheus");
  }

  @Override
  protected void onFatalError(Throwable t) {
    System.exit(OperatorErrors.exitCode(t));
  }
}
