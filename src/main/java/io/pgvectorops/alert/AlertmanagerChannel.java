package io.pgvectorops.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgvectorops.config.AlertmanagerConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Posts alerts to a Prometheus Alertmanager's /api/v2/alerts, as Prometheus does: labels (alertname
 * = the finding's kind, target, object, severity, job), annotations (summary = our message, the
 * suggested action), startsAt, and endsAt: when it resolved, or, while it fires, a moment past the
 * next re-post ({@link AlertmanagerRefresher}) so that Alertmanager resolves it by itself only when
 * the daemon stops posting.
 */
public class AlertmanagerChannel implements Channel {
  private final AlertmanagerConfig config;
  private final ObjectMapper mapper;
  private final HttpJson http;
  private final String dashboardUrl;
  private final Duration firingHorizon;
  private final Clock clock;

  /**
   * @param resendInterval how often firing alerts are posted again; they are given four times as
   *     long to live, as Prometheus gives its alerts
   */
  public AlertmanagerChannel(
      AlertmanagerConfig config,
      ObjectMapper mapper,
      String dashboardUrl,
      Duration resendInterval,
      Clock clock) {
    this.config = config;
    this.mapper = mapper;
    this.http = new HttpJson(Duration.ofMillis(config.timeout.toMilliseconds()));
    this.dashboardUrl = dashboardUrl;
    this.firingHorizon = resendInterval.multipliedBy(4);
    this.clock = clock;
  }

  @Override
  public String id() {
    return "alertmanager:" + config.name;
  }

  @Override
  public void send(NotificationPayload payload, String json) throws Exception {
    post(payload.alerts());
  }

  /** Posts these alerts now (a notification's, or the firing ones again). */
  public void post(List<AlertEntry> alerts) throws Exception {
    if (alerts.isEmpty()) {
      return;
    }
    http.post(config.url.replaceAll("/+$", "") + "/api/v2/alerts", body(alerts));
  }

  String body(List<AlertEntry> alerts) throws JsonProcessingException {
    Instant now = clock.instant();
    ArrayNode array = mapper.createArrayNode();
    for (AlertEntry a : alerts) {
      ObjectNode alert = array.addObject();
      ObjectNode labels = alert.putObject("labels");
      labels.put("alertname", a.label("kind"));
      for (String name : List.of("target", "object", "severity", "job")) {
        labels.put(name, a.label(name));
      }
      labels.put("source", "pgvector-ops");
      ObjectNode annotations = alert.putObject("annotations");
      annotations.put("summary", a.message());
      if (a.suggestedAction() != null) {
        annotations.put("suggested_action", a.suggestedAction());
      }
      alert.put("startsAt", a.startsAt().toString());
      boolean resolved = a.status() == AlertState.resolved;
      alert.put(
          "endsAt",
          (resolved ? (a.resolvedAt() == null ? now : a.resolvedAt()) : now.plus(firingHorizon))
              .toString());
      alert.put("generatorURL", link(dashboardUrl, a.label("target")));
    }
    return mapper.writeValueAsString(array);
  }

  /** The dashboard's page of the alert's target. */
  static String link(String dashboardUrl, String target) {
    String base = dashboardUrl.endsWith("/") ? dashboardUrl : dashboardUrl + "/";
    return base + "#/target/" + URLEncoder.encode(target, StandardCharsets.UTF_8);
  }
}
