package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL database the daemon watches, or (with {@code databases: all}) an entry standing
 * for every database of one server.
 */
public class TargetConfig {
  @NotBlank
  @Pattern(regexp = ConfigNames.PATTERN, message = ConfigNames.MESSAGE)
  @JsonProperty
  public String name;

  @NotBlank
  @Pattern(regexp = "jdbc:postgresql:.*", message = "must be a jdbc:postgresql:// URL")
  @JsonProperty
  public String url;

  @NotBlank @JsonProperty public String user;

  @JsonProperty public String password;

  @JsonProperty public String passwordFile;

  @Min(1)
  @Max(50)
  @JsonProperty
  public int maxConnections = 4;

  /**
   * The application's role: the regression job measures with the search settings its new sessions
   * get (ALTER ROLE … SET, ALTER DATABASE … SET, the server's). Unset: the database's defaults.
   */
  @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_$.-]{0,62}", message = "must be a role name")
  @JsonProperty
  public String applicationRole;

  @NotNull @JsonProperty public Duration statementTimeout = Duration.seconds(60);

  @NotNull @JsonProperty public Duration lockTimeout = Duration.seconds(5);

  @NotNull @JsonProperty public Duration connectTimeout = Duration.seconds(10);

  /**
   * How long a pooled connection may sit unused before it is closed: short for a fleet of many
   * databases on one server (fewer idle sessions), longer to save logins on a busy schedule.
   */
  @NotNull
  @MinDuration(value = 10, unit = TimeUnit.SECONDS)
  @JsonProperty
  public Duration idleTimeout = Duration.minutes(5);

  /**
   * The host's memory, which SQL cannot see: the capacity job's recommendations are bounded by it.
   * Unset: they assume the host has room for them, and say so.
   */
  @JsonProperty public DataSize memory;

  /** TLS to this server; unset: the driver's default (sslmode prefer, no verification). */
  @Valid @JsonProperty public TlsConfig tls;

  /**
   * Free-form labels ({@code env: prod}) that job files select targets by; discovered targets
   * inherit their entry's.
   */
  @NotNull @JsonProperty public Map<String, String> labels = new TreeMap<>();

  /**
   * {@code all}: this entry stands for every database of its server (one target each, named {@code
   * <name>/<database>}); its url names the database the list is read from.
   */
  @Pattern(regexp = "all", message = "must be 'all' (or omitted for one database)")
  @JsonProperty
  public String databases;

  /** With {@code databases: all}: only databases whose whole name matches this expression. */
  @JsonProperty public String include;

  /** With {@code databases: all}: no database whose whole name matches this expression. */
  @JsonProperty public String exclude;

  /** The file this target was read from; null: the configuration file. */
  @JsonIgnore public String source;

  /** Where in its file this target is, for messages: {@code targets[2] (main)}, {@code [0]}. */
  @JsonIgnore public String key;

  /** The entry a discovered target came from; null for a target written out. */
  @JsonIgnore public String discoveredBy;

  /** Whether this entry stands for every database of its server rather than one database. */
  public boolean isDiscovery() {
    return "all".equals(databases);
  }

  /** The key to name in messages, with the file when it is not the configuration file. */
  public String where(String configFile) {
    return (source == null ? configFile : source) + ": " + key;
  }

  /** One database of a discovery entry: its settings and labels, another database and name. */
  public TargetConfig forDatabase(String database, String databaseUrl) {
    TargetConfig t = new TargetConfig();
    t.name = name + "/" + database;
    t.url = databaseUrl;
    t.user = user;
    t.password = password;
    t.passwordFile = passwordFile;
    t.maxConnections = maxConnections;
    t.applicationRole = applicationRole;
    t.statementTimeout = statementTimeout;
    t.lockTimeout = lockTimeout;
    t.connectTimeout = connectTimeout;
    t.idleTimeout = idleTimeout;
    t.memory = memory;
    t.tls = tls;
    t.labels = new TreeMap<>(labels);
    t.source = source;
    t.key = key + " database " + database;
    t.discoveredBy = name;
    return t;
  }
}
