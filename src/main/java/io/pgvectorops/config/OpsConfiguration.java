package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

public class OpsConfiguration extends Configuration {
  /** Targets written out, and entries standing for every database of a server. */
  @Valid @NotNull @JsonProperty public List<TargetConfig> targets = new ArrayList<>();

  /**
   * Files (globs, relative to this file's folder) each holding a YAML list of targets in the form
   * of {@link #targets}: read at start, on reload and every {@code discovery.interval}.
   */
  @NotNull @JsonProperty public List<String> targetFiles = new ArrayList<>();

  @Valid @NotNull @JsonProperty public DiscoveryConfig discovery = new DiscoveryConfig();

  /**
   * The targets in force: those written out, those of the target files and one per database of each
   * {@code databases: all} entry. Null until resolved (then {@link #targets} is used).
   */
  @JsonIgnore private volatile List<TargetConfig> fleet;

  @Valid @NotNull @JsonProperty public StateConfig state = new StateConfig();

  @Valid @NotNull @JsonProperty public SchedulerConfig scheduler = new SchedulerConfig();

  @NotBlank @JsonProperty public String jobsDirectory = "jobs";

  @Valid @NotNull @JsonProperty public ApiConfig api = new ApiConfig();

  @Valid @NotNull @JsonProperty public PrometheusConfig prometheus = new PrometheusConfig();

  @Valid @NotNull @JsonProperty public AlertsConfig alerts = new AlertsConfig();

  /**
   * Operators' own advisory files (the shape of the shipped advisories.yml), on top of it; relative
   * paths resolve from this file's folder.
   */
  @NotNull @JsonProperty public List<String> advisoryFiles = new ArrayList<>();

  /**
   * The file this configuration was read from (set by our commands; relative paths resolve from
   * it).
   */
  @JsonIgnore public String sourceFile;

  public OpsConfiguration() {
    // Read endpoints are unauthenticated, so both ports listen on loopback unless the
    // operator binds them elsewhere on purpose.
    DefaultServerFactory server = new DefaultServerFactory();
    server.setApplicationConnectors(List.of(loopback(8080)));
    server.setAdminConnectors(List.of(loopback(8081)));
    setServerFactory(server);
  }

  private static HttpConnectorFactory loopback(int port) {
    HttpConnectorFactory http = new HttpConnectorFactory();
    http.setBindHost("127.0.0.1");
    http.setPort(port);
    return http;
  }

  /** The targets in force (see {@link #setFleet}); the written-out ones until then. */
  public List<TargetConfig> fleet() {
    List<TargetConfig> f = fleet;
    if (f != null) {
      return f;
    }
    for (int i = 0; i < targets.size(); i++) {
      if (targets.get(i).key == null) {
        targets.get(i).key = "targets[" + i + "] (" + targets.get(i).name + ")";
      }
    }
    return targets.stream().filter(t -> !t.isDiscovery()).toList();
  }

  public void setFleet(List<TargetConfig> resolved) {
    this.fleet = List.copyOf(resolved);
  }

  @ValidationMethod(message = "lists no targets: give targets, targetFiles or both")
  public boolean isSomeTargetGiven() {
    return !targets.isEmpty() || !targetFiles.isEmpty();
  }

  @ValidationMethod(
      message =
          "names no state database: without targets written in this file, set state.url"
              + " (the state database defaults to the first target's)")
  public boolean isStateDatabaseNamed() {
    return !targets.isEmpty() || state.url != null;
  }

  @ValidationMethod(message = "has two targets with the same name")
  public boolean isTargetNamesUnique() {
    HashSet<String> seen = new HashSet<>();
    return targets.stream().allMatch(t -> t.name == null || seen.add(t.name));
  }

  public Optional<TargetConfig> target(String name) {
    return fleet().stream().filter(t -> t.name.equals(name)).findFirst();
  }
}
