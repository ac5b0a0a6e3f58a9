package io.pgvectorops.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rules across keys that Bean Validation cannot word well: each message names the file and the key
 * with its index and target name.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  private static void email(EmailConfig email, List<String> errors) {
    if (email.from == null || email.from.isBlank()) {
      errors.add("alerts.email.from: is missing (the sender address of alert emails)");
    } else if (!email.from.matches("[^@\\s]+@[^@\\s]+")) {
      errors.add("alerts.email.from: '" + email.from + "' is not an email address");
    }
    if (email.to.isEmpty()) {
      errors.add("alerts.email.to: is empty (list the addresses that receive alerts)");
    }
    for (int i = 0; i < email.to.size(); i++) {
      if (email.to.get(i) == null || !email.to.get(i).matches("[^@\\s]+@[^@\\s]+")) {
        errors.add("alerts.email.to[" + i + "]: '" + email.to.get(i) + "' is not an email address");
      }
    }
    if (email.password != null && email.passwordFile != null) {
      errors.add("alerts.email: sets both password and passwordFile; use one");
    }
  }

  private static void webhookUrl(String key, String url, List<String> errors) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        errors.add(
            key
                + ".url: must be an http:// or https:// URL, not '"
                + (scheme.isEmpty() ? url : scheme + ":")
                + "'");
      } else if (uri.getHost() == null) {
        errors.add(key + ".url: has no host");
      }
    } catch (URISyntaxException e) {
      errors.add(key + ".url: is not a URL (" + e.getReason() + ")");
    }
  }

  private static void alerts(AlertsConfig a, List<String> errors) {
    if (a.email != null) {
      email(a.email, errors);
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < a.webhooks.size(); i++) {
      WebhookConfig w = a.webhooks.get(i);
      String key = "alerts.webhooks[" + i + "] (" + w.name + ")";
      if (w.name != null && !names.add(w.name)) {
        errors.add(key + ".name: is used by another webhook");
      }
      if (w.url != null) {
        webhookUrl(key, w.url, errors);
      }
    }
    incidentChannels(a, names, errors);
    if (a.retryInitial.toMilliseconds() <= 0
        || a.retryMax.toMilliseconds() < a.retryInitial.toMilliseconds()) {
      errors.add("alerts.retryMax: must be at least retryInitial, and retryInitial above zero");
    }
  }

  /** PagerDuty and Alertmanager: names unique among the channels, a routing key each. */
  private static void incidentChannels(AlertsConfig a, Set<String> names, List<String> errors) {
    for (int i = 0; i < a.pagerduty.size(); i++) {
      PagerDutyConfig pd = a.pagerduty.get(i);
      String key = "alerts.pagerduty[" + i + "] (" + pd.name + ")";
      if ((pd.routingKey == null || pd.routingKey.isEmpty()) == (pd.routingKeyFile == null)) {
        errors.add(key + ": set exactly one of routingKey and routingKeyFile");
      }
      if (pd.name != null && !names.add("pagerduty:" + pd.name)) {
        errors.add(key + ".name: is used by another PagerDuty service");
      }
    }
    for (int i = 0; i < a.alertmanagers.size(); i++) {
      AlertmanagerConfig am = a.alertmanagers.get(i);
      if (am.name != null && !names.add("alertmanager:" + am.name)) {
        errors.add(
            "alerts.alertmanagers[" + i + "] (" + am.name + ").name: is used by another one");
      }
    }
  }

  /** Label names as Prometheus writes them, so a label can become a metric's label as it is. */
  private static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]{0,62}";

  /**
   * The rules one target (or discovery entry) must keep, wherever it is written.
   *
   * @param key how messages name it, e.g. {@code targets[0] (main)}
   */
  public static void target(TargetConfig t, String key, List<String> errors) {
    if (t.password != null && t.passwordFile != null) {
      errors.add(key + ": sets both password and passwordFile; use one");
    }
    if (t.url != null && t.url.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
      errors.add(
          key + ".url: carries a password; use password or passwordFile so it stays out of logs");
    }
    if (t.lockTimeout != null
        && t.statementTimeout != null
        && t.lockTimeout.toMilliseconds() >= t.statementTimeout.toMilliseconds()) {
      errors.add(
          key + ".lockTimeout: must be shorter than statementTimeout (" + t.statementTimeout + ")");
    }
    if (t.tls != null) {
      t.tls.check(key + ".tls", t.url, errors);
    }
    t.labels.forEach(
        (name, value) -> {
          if (name == null || !name.matches(LABEL_NAME)) {
            errors.add(
                key + ".labels: '" + name + "' must be a letter or '_', then letters, digits, '_'");
          } else if (value == null || value.isBlank() || value.contains(",")) {
            errors.add(key + ".labels." + name + ": must be a non-empty text without ','");
          }
        });
    if (!t.isDiscovery() && (t.include != null || t.exclude != null)) {
      errors.add(key + ": include and exclude apply only with databases: all");
    }
    regex(key + ".include", t.include, errors);
    regex(key + ".exclude", t.exclude, errors);
  }

  private static void regex(String key, String value, List<String> errors) {
    if (value == null) {
      return;
    }
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      errors.add(
          key + ": '" + value + "' is not a regular expression (" + e.getDescription() + ")");
    }
  }

  public static void check(OpsConfiguration c, String file) {
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < c.targets.size(); i++) {
      TargetConfig t = c.targets.get(i);
      target(t, "targets[" + i + "] (" + t.name + ")", errors);
    }
    for (int i = 0; i < c.targetFiles.size(); i++) {
      if (c.targetFiles.get(i) == null || c.targetFiles.get(i).isBlank()) {
        errors.add("targetFiles[" + i + "]: is empty (a file name or glob, e.g. targets.d/*.yml)");
      }
    }
    if (c.state.tls != null) {
      c.state.tls.check("state.tls", c.state.url, errors);
    }
    if (c.state.password != null && c.state.passwordFile != null) {
      errors.add("state: sets both password and passwordFile; use one");
    }
    if (c.api.enabled() && c.api.token.length() < ApiConfig.MIN_TOKEN_LENGTH) {
      errors.add("api.token: " + ApiAccess.tooShort());
    }
    ApiAccess.check(c, file, errors);
    alerts(c.alerts, errors);
    if (!errors.isEmpty()) {
      throw YamlErrors.ofChecks(file, errors);
    }
  }
}
