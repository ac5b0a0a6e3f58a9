package io.pgvectorops.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.config.ConfigError;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.Reload.Changes;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.Jdbc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured targets, in configuration order, each with its pool. A reload swaps the set at
 * once; the pool of a removed or changed target is closed only after the runs using it end.
 */
public class Targets implements Managed, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Targets.class);

  /** How often a retired pool is checked for connections still in use. */
  private static final Duration RETIRE_POLL = Duration.ofSeconds(1);

  private record Entry(Target target, String password) {}

  private volatile Map<String, Entry> byName;
  private final List<Target> retiring = new ArrayList<>();

  public Targets(OpsConfiguration config, String configPath) {
    Map<String, Entry> m = new LinkedHashMap<>();
    List<TargetConfig> fleet = config.fleet();
    List<String> passwords = passwords(fleet, configPath);
    for (int i = 0; i < fleet.size(); i++) {
      TargetConfig t = fleet.get(i);
      m.put(t.name, new Entry(open(t, passwords.get(i), configPath), passwords.get(i)));
    }
    this.byName = m;
  }

  /** Every password first, so an unreadable passwordFile changes nothing. */
  private static List<String> passwords(List<TargetConfig> fleet, String configPath) {
    List<String> passwords = new ArrayList<>();
    for (TargetConfig t : fleet) {
      passwords.add(password(t, configPath));
    }
    return passwords;
  }

  /** The file a target was written in, which its messages name. */
  private static String source(TargetConfig t, String configPath) {
    return t.source != null ? t.source : configPath;
  }

  /**
   * One target's pool on its own, outside the set (a {@code databases: all} entry's list is read
   * through it); the caller closes it.
   *
   * @throws ConfigError for an unreadable passwordFile or TLS file
   */
  public static Target open(TargetConfig t, String configPath) {
    return open(t, password(t, configPath), configPath);
  }

  private static String password(TargetConfig t, String configPath) {
    return Credentials.password(t.password, t.passwordFile, source(t, configPath), t.key);
  }

  private static Target open(TargetConfig t, String password, String configPath) {
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
            null,
            t.tls == null ? null : t.tls.resolve(source(t, configPath), t.key));
    ds.setIdleTimeout(t.idleTimeout.toMilliseconds());
    return new Target(t, ds, new Jdbc("target " + t.name, ds));
  }

  public Collection<Target> all() {
    return byName.values().stream().map(Entry::target).toList();
  }

  public Optional<Target> get(String name) {
    return Optional.ofNullable(byName.get(name)).map(Entry::target);
  }

  /**
   * Makes the set match {@code next}'s targets (a reload): a target whose settings and password are
   * unchanged keeps its pool; an added one gets a pool; a changed or removed one's pool is retired.
   *
   * @param mapper compares settings by their JSON form
   */
  public synchronized Changes reconcile(
      OpsConfiguration next, String configPath, ObjectMapper mapper) {
    List<TargetConfig> fleet = next.fleet();
    List<String> passwords = passwords(fleet, configPath);
    Map<String, Entry> before = byName;
    Map<String, Entry> after = new LinkedHashMap<>();
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < fleet.size(); i++) {
      TargetConfig t = fleet.get(i);
      Entry old = before.get(t.name);
      if (old != null
          && mapper.valueToTree(old.target().config()).equals(mapper.valueToTree(t))
          && Objects.equals(old.password(), passwords.get(i))) {
        after.put(t.name, old);
        continue;
      }
      (old == null ? added : changed).add(t.name);
      after.put(t.name, new Entry(open(t, passwords.get(i), configPath), passwords.get(i)));
    }
    List<String> removed = before.keySet().stream().filter(n -> !after.containsKey(n)).toList();
    byName = after;
    before.forEach(
        (name, e) -> {
          if (after.get(name) != e) {
            retire(e.target());
          }
        });
    return new Changes(added, changed, removed);
  }

  /** Closes the pool once no connection of it is in use; runs on it finish undisturbed. */
  private void retire(Target t) {
    retiring.add(t);
    Thread closer =
        new Thread(
            () -> {
              HikariDataSource ds = t.dataSource();
              try {
                while (ds.getHikariPoolMXBean() != null
                    && ds.getHikariPoolMXBean().getActiveConnections() > 0) {
                  Thread.sleep(RETIRE_POLL.toMillis());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ds.close();
              synchronized (this) {
                retiring.remove(t);
              }
              LOG.info("target {}: the pool of its previous settings is closed", t.name());
            },
            "retire-" + t.name());
    closer.setDaemon(true);
    closer.start();
  }

  @Override
  public void stop() {
    close();
  }

  @Override
  public synchronized void close() {
    byName.values().forEach(e -> e.target().dataSource().close());
    retiring.forEach(t -> t.dataSource().close());
  }
}
