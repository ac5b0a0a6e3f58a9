package io.pgvectorops.target;

import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.Jdbc;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured targets, in configuration order, each with its pool. */
public class Targets implements Managed, AutoCloseable {
  private final Map<String, Target> byName = new LinkedHashMap<>();

  public Targets(OpsConfiguration config, String configPath) {
    for (int i = 0; i < config.targets.size(); i++) {
      TargetConfig t = config.targets.get(i);
      String password =
          Credentials.password(t.password, t.passwordFile, configPath, "targets[" + i + "]");
      var ds =
          ConnectionPools.create(
              "target-" + t.name,
              t.url,
              t.user,
              password,
              t.maxConnections,
              t.statementTimeout,
              t.lockTimeout,
              t.connectTimeout,
              null);
      byName.put(t.name, new Target(t, ds, new Jdbc("target " + t.name, ds)));
    }
  }

  public Collection<Target> all() {
    return byName.values();
  }

  public Optional<Target> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public void stop() {
    close();
  }

  @Override
  public void close() {
    byName.values().forEach(t -> t.dataSource().close());
  }
}
