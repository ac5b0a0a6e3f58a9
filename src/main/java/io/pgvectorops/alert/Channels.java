package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.config.Credentials;
import io.pgvectorops.config.WebhookConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured channels, by id. */
public class Channels {
  private final Map<String, Channel> byId = new LinkedHashMap<>();

  public Channels(AlertsConfig config, ObjectMapper mapper, String configPath) {
    if (config.email != null) {
      String password =
          Credentials.password(
              config.email.password, config.email.passwordFile, configPath, "alerts.email");
      add(new EmailChannel(config.email, password));
    }
    for (WebhookConfig w : config.webhooks) {
      add(new WebhookChannel(w, mapper));
    }
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
