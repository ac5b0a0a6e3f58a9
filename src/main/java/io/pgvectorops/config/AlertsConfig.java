package io.pgvectorops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/** Where alerts go and how often; see config.yml for every key. */
public class AlertsConfig {
  @Valid @JsonProperty public EmailConfig email;

  @Valid @NotNull @JsonProperty public List<WebhookConfig> webhooks = new ArrayList<>();

  /** Prometheus Alertmanagers: firing alerts are posted and re-posted, resolved ones end. */
  @Valid @NotNull @JsonProperty public List<AlertmanagerConfig> alertmanagers = new ArrayList<>();

  /** PagerDuty services (Events API v2): trigger and resolve, one dedup key per alert. */
  @Valid @NotNull @JsonProperty public List<PagerDutyConfig> pagerduty = new ArrayList<>();

  /** How often firing alerts are posted to the Alertmanagers again (its resolve timeout is 5m). */
  @NotNull @JsonProperty public Duration alertmanagerResendInterval = Duration.minutes(1);

  /**
   * The dashboard's address as people reach it: alerts link to it (Alertmanager's generatorURL,
   * PagerDuty's client_url). Default: the application port on loopback.
   */
  @JsonProperty public String dashboardUrl = "http://127.0.0.1:8080/";

  /** A firing alert is notified again after this long. */
  @NotNull @JsonProperty public Duration repeatInterval = Duration.hours(4);

  /** Send a notification when an alert resolves. */
  @JsonProperty public boolean resolveNotifications = true;

  /** An alert whose finding is gone keeps firing this long before it resolves (flap damping). */
  @NotNull @JsonProperty public Duration keepFiringFor = Duration.minutes(10);

  /** First retry delay of a failed delivery; doubles each attempt (with jitter) up to retryMax. */
  @NotNull @JsonProperty public Duration retryInitial = Duration.seconds(5);

  @NotNull @JsonProperty public Duration retryMax = Duration.minutes(10);

  /** A notification not delivered within this long is marked dead (reported in /api/status). */
  @NotNull @JsonProperty public Duration maxDeliveryAge = Duration.hours(24);

  /**
   * At most this many silences in force or scheduled at once: a POST /api/silences beyond it is
   * refused (409), so no caller can fill the table every alert is matched against.
   */
  @Min(1)
  @Max(100_000)
  @JsonProperty
  public int maxSilences = 1000;

  /** The longest a silence may last (endsAt after startsAt), and how far ahead it may start. */
  @NotNull @JsonProperty public Duration maxSilenceDuration = Duration.days(90);

  /** How often the delivery worker looks for due deliveries. */
  @NotNull @JsonProperty public Duration pollInterval = Duration.seconds(1);

  public boolean anyChannel() {
    return email != null || !webhooks.isEmpty();
  }
}
