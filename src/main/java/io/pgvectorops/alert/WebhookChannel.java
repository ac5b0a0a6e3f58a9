package io.pgvectorops.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgvectorops.config.WebhookConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a notification: {@code json} sends the versioned payload as stored; {@code slack} sends
 * Slack incoming-webhook blocks. With a secret, X-PgvectorOps-Signature carries {@code sha256=<hex
 * HMAC-SHA256(secret, body)>}. Any 2xx is delivered; anything else is retried.
 */
public class WebhookChannel implements Channel {
  public static final String SIGNATURE_HEADER = "X-PgvectorOps-Signature";
  public static final String KEY_HEADER = "X-PgvectorOps-Idempotency-Key";

  private final WebhookConfig config;
  private final ObjectMapper mapper;
  private final HttpJson http;

  public WebhookChannel(WebhookConfig config, ObjectMapper mapper) {
    this.config = config;
    this.mapper = mapper;
    this.http = new HttpJson(Duration.ofMillis(config.timeout.toMilliseconds()));
  }

  @Override
  public String id() {
    return "webhook:" + config.name;
  }

  @Override
  public void send(NotificationPayload p, String json) throws Exception {
    byte[] body =
        (config.format.equals("slack") ? slack(p) : json).getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(KEY_HEADER, p.idempotencyKey());
    headers.putAll(config.headers);
    if (config.secret != null && !config.secret.isEmpty()) {
      headers.put(SIGNATURE_HEADER, "sha256=" + sign(config.secret, body));
    }
    http.post(config.url, body, headers);
  }

  public static String sign(String secret, byte[] body)
      throws java.security.GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  String slack(NotificationPayload p) throws JsonProcessingException {
    ObjectNode root = mapper.createObjectNode();
    root.put("text", p.headline());
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", truncate(p.headline(), 150));
    for (AlertEntry a : p.alerts()) {
      String icon =
          a.status() == AlertState.resolved
              ? ":white_check_mark:"
              : a.label("severity").equals("critical") ? ":red_circle:" : ":large_orange_circle:";
      String text =
          icon
              + " *"
              + a.label("kind")
              + "* on `"
              + a.label("object")
              + "` (target "
              + a.label("target")
              + ")\n"
              + a.message()
              + (EmailChannel.figures(a).isEmpty() ? "" : "\n_" + EmailChannel.figures(a) + "_")
              + (a.status() == AlertState.resolved ? "" : "\n" + a.suggestedAction());
      blocks
          .addObject()
          .put("type", "section")
          .putObject("text")
          .put("type", "mrkdwn")
          .put("text", truncate(text, 2900));
    }
    blocks
        .addObject()
        .put("type", "context")
        .putArray("elements")
        .addObject()
        .put("type", "mrkdwn")
        .put("text", "pgvector-ops notification " + p.idempotencyKey());
    return mapper.writeValueAsString(root);
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
