package io.pgvectorops.config;

import java.util.stream.Collectors;

/** One log line describing the configuration in force, secrets masked. */
public final class EffectiveConfig {
  private EffectiveConfig() {}

  public static String describe(OpsConfiguration c) {
    String targets =
        c.targets.stream()
            .map(
                t ->
                    t.name
                        + "="
                        + t.url
                        + " user="
                        + t.user
                        + (t.password != null || t.passwordFile != null ? " password=****" : "")
                        + " maxConnections="
                        + t.maxConnections
                        + " statementTimeout="
                        + t.statementTimeout
                        + " lockTimeout="
                        + t.lockTimeout)
            .collect(Collectors.joining("; ", "[", "]"));
    return "targets "
        + targets
        + ", state "
        + (c.state.url == null ? "(first target)" : c.state.url)
        + " schema="
        + c.state.schema
        + ", scheduler "
        + c.scheduler.name
        + " threads="
        + c.scheduler.threads
        + " clustered="
        + c.scheduler.clustered
        + " zone="
        + c.scheduler.timeZone
        + ", jobsDirectory="
        + c.jobsDirectory
        + ", api: "
        + ApiAccess.describe(c);
  }
}
