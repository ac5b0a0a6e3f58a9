package io.pgvectorops.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.pgvectorops.alert.Channels;
import io.pgvectorops.alert.EmailChannel;
import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.common.Text;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TlsConfig;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.fleet.Fleet;
import io.pgvectorops.health.DatabaseHealthCheck;
import io.pgvectorops.jobs.JobCatalog;
import io.pgvectorops.jobs.TargetInspector.Inspection;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.state.StateDatabase;
import io.pgvectorops.targets.SessionTls;
import io.pgvectorops.targets.Target;
import io.pgvectorops.targets.Targets;
import io.pgvectorops.wiring.Components;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * `check config.yml`: validates the configuration and every job file, connects to each target and
 * the state database, and reports what the configured jobs will miss. Changes nothing. Exit 0/1.
 */
public class CheckCommand extends OneShotCommand {
  public CheckCommand(Application<OpsConfiguration> application) {
    super("check", "Validates configuration and job files, and checks each target", application);
  }

  /** One target's lines; the problems it counts. */
  private static int target(Target t, JobCatalog catalog, Advisories advisories, PrintStream out) {
    Inspection r =
        JobKinds.inspect(t, catalog.forTarget(t.name()), advisories)
            .orElseThrow(() -> new IllegalStateException("no job kind inspects targets"));
    out.println("target " + t.name() + ": " + r.headline());
    int problems = r.reachable() ? 0 : 1;
    if (r.reachable()) {
      out.println(
          "  connection: " + SessionTls.describe(SessionTls.observe(t.jdbc()), t.config().tls));
    }
    for (Finding f : r.findings()) {
      out.println("  " + f.severity() + ": " + f.message());
      problems += f.severity() == Finding.Severity.info ? 0 : 1;
    }
    // known defects of the installed versions: printed to be known, not counted as problems
    for (Finding f : r.advisories()) {
      out.println("  advisory, " + f.severity() + ": " + f.message());
    }
    return problems;
  }

  private static int stateDatabase(OpsConfiguration config, PrintStream out) {
    try (StateDatabase state = new StateDatabase(config, config.sourceFile)) {
      var result = DatabaseHealthCheck.of(state).execute();
      out.println(
          "state database "
              + state.url()
              + " schema "
              + state.schema()
              + ": "
              + (result.isHealthy() ? "ok" : "UNREACHABLE: " + result.getMessage()));
      if (result.isHealthy()) {
        TlsConfig tls = config.state.url != null ? config.state.tls : config.targets.get(0).tls;
        out.println("  connection: " + SessionTls.describe(SessionTls.observe(state.jdbc()), tls));
      }
      return result.isHealthy() ? 0 : 1;
    }
  }

  @Override
  protected void runOnce(
      Bootstrap<OpsConfiguration> bootstrap, Namespace ns, OpsConfiguration config) {
    config.sourceFile = ns.getString("file");
    PrintStream out = System.out;
    Components.Loaded loaded = Components.load(config, Fleet.Resolved.NONE);
    JobCatalog catalog = loaded.catalog();
    Advisories advisories = Components.loadAdvisories(config);
    out.println(
        config.sourceFile
            + ": ok ("
            + config.fleet().size()
            + " target(s), "
            + catalog.all().size()
            + " job(s))");
    int problems = loaded.fleet().problems().size();
    loaded.fleet().problems().forEach(p -> out.println("targets: " + p));
    try (Targets targets = new Targets(config, config.sourceFile)) {
      for (Target t : targets.all()) {
        problems += target(t, catalog, advisories, out);
      }
    }
    problems += alertChannels(config, bootstrap, out);
    problems += stateDatabase(config, out);
    if (problems > 0) {
      throw new RunFailed("check found " + problems + " problem(s)");
    }
  }

  /** Email: connects and greets the SMTP server. Webhooks: listed only, nothing is posted. */
  private static int alertChannels(
      OpsConfiguration config, Bootstrap<OpsConfiguration> bootstrap, PrintStream out) {
    int problems = 0;
    var channels = new Channels(config.alerts, bootstrap.getObjectMapper(), config.sourceFile);
    for (var channel : channels.all()) {
      if (channel instanceof EmailChannel email) {
        try {
          email.testConnection();
          out.println(
              "alerts.email " + config.alerts.email.host + ":" + config.alerts.email.port + ": ok");
        } catch (RuntimeException e) {
          out.println(
              "alerts.email "
                  + config.alerts.email.host
                  + ":"
                  + config.alerts.email.port
                  + ": UNREACHABLE: "
                  + Text.firstLine(String.valueOf(e.getMessage())));
          problems++;
        }
      } else {
        out.println(
            "alerts."
                + channel.id()
                + ": configured (not contacted by check; POST /api/alerts/test sends a"
                + " test notification)");
      }
    }
    return problems;
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    OperatorErrors.print(cli.getStdErr(), e);
  }
}
