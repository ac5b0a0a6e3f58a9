package io.pgvectorops.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.pgvectorops.config.OpsConfiguration;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's `server`, reporting an operator's mistake without a stack trace. */
public class ServerCommand extends io.dropwizard.core.cli.ServerCommand<OpsConfiguration> {
  public ServerCommand(Application<OpsConfiguration> application) {
    super(application);
  }

  @Override
  protected void run(
      Bootstrap<OpsConfiguration> bootstrap, Namespace namespace, OpsConfiguration configuration)
      throws Exception {
    configuration.sourceFile = namespace.getString("file");
    super.run(bootstrap, namespace, configuration);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    OperatorErrors.print(cli.getStdErr(), e);
  }
}
