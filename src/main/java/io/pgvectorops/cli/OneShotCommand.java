package io.pgvectorops.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.pgvectorops.config.OpsConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * A command that reads the configuration, does one thing and prints its result on stdout for a
 * script (`run`, `check`): its log lines go to stderr from before the file is read (what reading it
 * warns about, a clear-text password, never comes before the result) and after.
 */
abstract class OneShotCommand extends ConfiguredCommand<OpsConfiguration> {
  private final Application<OpsConfiguration> application;

  OneShotCommand(String name, String description, Application<OpsConfiguration> application) {
    super(name, description);
    this.application = application;
  }

  @Override
  protected Class<OpsConfiguration> getConfigurationClass() {
    return application.getConfigurationClass();
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
    CliLogging.toStderr();
    super.run(bootstrap, namespace);
  }

  @Override
  protected final void run(
      Bootstrap<OpsConfiguration> bootstrap, Namespace namespace, OpsConfiguration config)
      throws Exception {
    // Dropwizard sets up its own logging (to stdout) once the file is read: again to stderr
    CliLogging.toStderr();
    runOnce(bootstrap, namespace, config);
  }

  /** The command itself, with the file read and log lines on stderr. */
  protected abstract void runOnce(
      Bootstrap<OpsConfiguration> bootstrap, Namespace namespace, OpsConfiguration config)
      throws Exception;
}
