package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.config.AlertmanagerConfig;
import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.PagerDutyConfig;
import io.pgvectorops.config.WebhookConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured channels, by id. */
public class Channels {
  private final Map<String, Channel> byId = new LinkedHashMap<>();

  public Channels(AlertsConfig config, ObjectMapper mapper, String configPath) {
    this(config, mapper, configPath, Clock.systemUTC());
  }

  public Channels(AlertsConfig config, ObjectMapper mapper, String configPath, Clock clock) {
    if (config.email != null) {
      String password =
          Credentials.password(
              config.email.password, config.email.passwordFile, configPath, "alerts.email");
      add(new EmailChannel(config.email, password));
    }
    for (WebhookConfig w : config.webhooks) {
      add(new WebhookChannel(w, mapper));
    }
    for (AlertmanagerConfig am : config.alertmanagers) {
      add(
          new AlertmanagerChannel(
              am,
              mapper,
              config.dashboardUrl,
              Duration.ofMillis(config.alertmanagerResendInterval.toMilliseconds()),
              clock));
    }
    for (int i = 0; i < config.pagerduty.size(); i++) {
      PagerDutyConfig pd = config.pagerduty.get(i);
      String key =
          Credentials.secret(
              pd.routingKey,
              pd.routingKeyFile,
              configPath,
              "alerts.pagerduty[" + i + "].routingKeyFile");
      add(new PagerDutyChannel(pd, key, mapper, config.dashboardUrl));
    }
  }

  /** The Alertmanager channels, which firing alerts are re-posted to. */
  public List<AlertmanagerChannel> alertmanagers() {
    return byId.values().stream()
        .filter(c -> c instanceof AlertmanagerChannel)
        .map(c -> (AlertmanagerChannel) c)
        .toList();
  }

  public Channels(List<Channel> channels) {
    channels.forEach(this::add);
  }

  private void add(Channel c) {
    byId.put(c.id(), c);
  }

  public List<String> ids() {
    return new ArrayList<>(byId.keySet());
  }

  public List<Channel> all() {
    return new ArrayList<>(byId.values());
  }

  public Optional<Channel> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }
}
