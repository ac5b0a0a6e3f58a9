package io.pgvectorops.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.pgvectorops.config.ConfigError;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import net.sourceforge.argparse4j.inf.ArgumentParserException;

/**
 * How a command reports its failure: an operator's mistake is one clear message (file, key,
 * problem) and no stack trace; only our own bugs print one.
 */
public final class OperatorErrors {
  private OperatorErrors() {}

  public static int exitCode(Throwable t) {
    return t instanceof ArgumentParserException || t instanceof UsageError ? 2 : 1;
  }

  public static void print(PrintWriter err, Throwable t) {
    if (t instanceof ConfigurationException
        || t instanceof ConfigError
        || t instanceof UsageError
        || t instanceof RunFailed
        || isBindFailure(t)) {
      err.println("pgvector-ops: " + t.getMessage().strip().replace("\n", "\n  "));
    } else {
      err.println("pgvector-ops: unexpected error (please report it): " + t);
      t.printStackTrace(err);
    }
    err.flush();
  }

  private static boolean isBindFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException
          || (c instanceof IOException
              && c.getMessage() != null
              && c.getMessage().startsWith("Failed to bind"))) {
        return true;
      }
    }
    return false;
  }
}
