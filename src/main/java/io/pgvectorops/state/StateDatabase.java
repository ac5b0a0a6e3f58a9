package io.pgvectorops.state;

import com.zaxxer.hikari.HikariDataSource;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.Duration;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.config.StateConfig;
import io.pgvectorops.config.TargetConfig;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.targets.ConnectionPools;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** The database holding the daemon's own schema: runs, findings, inventory, Quartz tables. */
public class StateDatabase implements Managed, AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbc jdbc;
  private final String schema;
  private final String url;

  /** How long a session waits to log in to the state database. */
  public static final Duration CONNECT_TIMEOUT = Duration.seconds(10);

  public StateDatabase(OpsConfiguration config, String configPath) {
    StateConfig s = config.state;
    TargetConfig first = config.targets.get(0);
    this.schema = s.schema;
    this.url = s.url != null ? s.url : first.url;
    String user = s.user != null ? s.user : first.user;
    String password =
        s.url != null || s.user != null
            ? Credentials.password(s.password, s.passwordFile, configPath, "state")
            : Credentials.password(first.password, first.passwordFile, configPath, "targets[0]");
    // Quartz and the API share this pool: a few more connections than a target's.
    this.dataSource =
        ConnectionPools.create(
            "state",
            url,
            user,
            password,
            config.scheduler.threads + 4,
            Duration.seconds(30),
            Duration.seconds(10),
            CONNECT_TIMEOUT,
            schema,
            s.url != null
                ? (s.tls == null ? null : s.tls.resolve(configPath, "state"))
                : (first.tls == null ? null : first.tls.resolve(configPath, "targets[0]")));
    // a restart of the state database must not cost a run, an alert or a false "failed"
    this.jdbc = new Jdbc("state database", dataSource, true);
  }

  /**
   * The migrations of a kind's own tables (a classpath folder), applied after the daemon's with a
   * history table of their own, {@code <kind>_schema_history}: a kind numbers its versions from 1
   * and never meets another's.
   */
  public record OwnTables(String kind, String folder) {
    String historyTable() {
      return kind.replaceAll("[^A-Za-z0-9]", "_") + "_schema_history";
    }
  }

  /**
   * Creates or upgrades the state schema: the daemon's tables (runs, findings, inventory, Quartz,
   * and the tables of the kinds that predate kinds owning theirs), then each kind's own.
   * Idempotent; safe when several instances start at once.
   */
  public void migrate(List<OwnTables> kinds) {
    flyway("classpath:sql/state").load().migrate();
    for (OwnTables k : kinds) {
      // the schema is not empty (the daemon's tables are there): the kind's history starts at 0
      flyway("classpath:" + k.folder())
          .table(k.historyTable())
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    }
  }

  /** Migrations from {@code location} into the state schema, SQL taken as written. */
  private FluentConfiguration flyway(String location) {
    return Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .defaultSchema(schema)
        .locations(location)
        .placeholderReplacement(false);
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  public String schema() {
    return schema;
  }

  /** The JDBC URL without credentials, for messages. */
  public String url() {
    return url;
  }

  @Override
  public void stop() {
    close();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
