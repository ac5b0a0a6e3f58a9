package io.pgvectorops.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgvectorops.config.PagerDutyConfig;
import java.time.Duration;

/**
 * PagerDuty's Events API v2: one event per alert, {@code trigger} while it fires (again on a repeat
 * or a severity change: PagerDuty folds events with the same dedup key into one incident) and
 * {@code resolve} when it resolves. The dedup key is our alert's id, so a trigger and its resolve
 * always meet.
 */
public class PagerDutyChannel implements Channel {
  /** PagerDuty's own limit on a summary. */
  static final int SUMMARY_MAX = 1024;

  private final PagerDutyConfig config;
  private final String routingKey;
  private final ObjectMapper mapper;
  private final HttpJson http;
  private final String dashboardUrl;

  /**
   * @param routingKey resolved from routingKey or routingKeyFile
   */
  public PagerDutyChannel(
      PagerDutyConfig config, String routingKey, ObjectMapper mapper, String dashboardUrl) {
    this.config = config;
    this.routingKey = routingKey;
    this.mapper = mapper;
    this.http = new HttpJson(Duration.ofMillis(config.timeout.toMilliseconds()));
    this.dashboardUrl = dashboardUrl;
  }

  @Override
  public String id() {
    return "pagerduty:" + config.name;
  }

  @Override
  public void send(NotificationPayload payload, String json) throws Exception {
    for (AlertEntry a : payload.alerts()) {
      http.post(config.url, event(a));
    }
  }

  /** The dedup key of an alert: one PagerDuty incident per alert of ours. */
  static String dedupKey(AlertEntry a) {
    return "pgvector-ops/alert/" + a.alertId();
  }

  String event(AlertEntry a) throws JsonProcessingException {
    ObjectNode e = mapper.createObjectNode();
    e.put("routing_key", routingKey);
    e.put("dedup_key", dedupKey(a));
    if (a.status() == AlertState.resolved) {
      e.put("event_action", "resolve");
      return mapper.writeValueAsString(e);
    }
    e.put("event_action", "trigger");
    e.put("client", "pgvector-ops");
    e.put("client_url", AlertmanagerChannel.link(dashboardUrl, a.label("target")));
    ObjectNode p = e.putObject("payload");
    String summary =
        a.label("kind")
            + " on "
            + a.label("object")
            + " ("
            + a.label("target")
            + "): "
            + a.message();
    p.put("summary", summary.length() <= SUMMARY_MAX ? summary : summary.substring(0, SUMMARY_MAX));
    p.put("source", a.label("target"));
    // ours are critical, warning and info, which PagerDuty has as they are
    p.put("severity", a.label("severity"));
    p.put("timestamp", a.startsAt().toString());
    p.put("component", a.label("object"));
    p.put("group", a.label("job"));
    p.put("class", a.label("kind"));
    ObjectNode details = p.putObject("custom_details");
    details.put("message", a.message());
    if (a.suggestedAction() != null) {
      details.put("suggested_action", a.suggestedAction());
    }
    if (a.metrics() != null && !a.metrics().isNull()) {
      details.set("figures", a.metrics());
    }
    return mapper.writeValueAsString(e);
  }
}
