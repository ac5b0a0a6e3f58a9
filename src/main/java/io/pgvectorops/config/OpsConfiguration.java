package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

public class OpsConfiguration extends Configuration {
  @Valid @NotEmpty @JsonProperty public List<TargetConfig> targets = new ArrayList<>();

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
  @com.fasterxml.jackson.annotation.JsonIgnore public String sourceFile;

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

  @ValidationMethod(message = "has two targets with the same name")
  public boolean isTargetNamesUnique() {
    HashSet<String> seen = new HashSet<>();
    return targets.stream().allMatch(t -> t.name == null || seen.add(t.name));
  }

  public Optional<TargetConfig> target(String name) {
    return targets.stream().filter(t -> t.name.equals(name)).findFirst();
  }
}
