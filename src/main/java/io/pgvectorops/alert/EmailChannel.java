package io.pgvectorops.alert;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.config.EmailConfig;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;

/**
 * Alert email through SMTP, SMTPS or STARTTLS with Simple Java Mail: plain-text and HTML bodies.
 */
public class EmailChannel implements Channel {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private final EmailConfig config;
  private final Mailer mailer;

  public EmailChannel(EmailConfig config, String password) {
    this.config = config;
    TransportStrategy strategy =
        switch (config.transport) {
          case "smtps" -> TransportStrategy.SMTPS;
          case "starttls" -> TransportStrategy.SMTP_TLS;
          default -> TransportStrategy.SMTP;
        };
    this.mailer =
        MailerBuilder.withSMTPServer(config.host, config.port, config.username, password)
            .withTransportStrategy(strategy)
            .withSessionTimeout((int) config.timeout.toMilliseconds())
            .buildMailer();
  }

  @Override
  public String id() {
    return "email";
  }

  /** Connects and says hello without sending anything; for `check`. */
  public void testConnection() {
    mailer.testConnection();
  }

  @Override
  public void send(NotificationPayload p, String json) {
    Email email =
        EmailBuilder.startingBlank()
            .from("pgvector-ops", config.from)
            .toMultiple(config.to)
            .withSubject("[pgvector-ops] " + p.headline())
            .withHeader("X-PgvectorOps-Idempotency-Key", p.idempotencyKey())
            .withPlainText(text(p))
            .withHTMLText(html(p))
            .buildEmail();
    mailer.sendMail(email).join();
  }

  static String text(NotificationPayload p) {
    StringBuilder sb = new StringBuilder(p.headline()).append("\n\n");
    for (AlertEntry a : p.alerts()) {
      sb.append(a.status() == AlertState.resolved ? "RESOLVED" : a.label("severity").toUpperCase())
          .append("  ")
          .append(a.label("kind"))
          .append(" on ")
          .append(a.label("object"))
          .append('\n');
      sb.append("  ").append(a.message()).append('\n');
      sb.append("  target ")
          .append(a.label("target"))
          .append(", job ")
          .append(a.label("job"))
          .append(", since ")
          .append(TIME.format(a.startsAt()));
      if (a.resolvedAt() != null) {
        sb.append(", resolved ").append(TIME.format(a.resolvedAt()));
      }
      sb.append('\n');
      String figures = figures(a);
      if (!figures.isEmpty()) {
        sb.append("  figures: ").append(figures).append('\n');
      }
      if (a.status() != AlertState.resolved) {
        sb.append("  action: ").append(a.suggestedAction()).append('\n');
      }
      sb.append('\n');
    }
    sb.append("Notification ").append(p.idempotencyKey()).append(" from pgvector-ops.\n");
    return sb.toString();
  }

  static String html(NotificationPayload p) {
    StringBuilder sb =
        new StringBuilder("<html><body style=\"font-family:sans-serif\"><h2>")
            .append(esc(p.headline()))
            .append("</h2><table cellpadding=\"6\" style=\"border-collapse:collapse\">")
            .append(
                "<tr><th align=left>State</th><th align=left>What</th><th align=left>Where</th>")
            .append(
                "<th align=left>Figures</th><th align=left>Since</th><th align=left>Action</th></tr>");
    for (AlertEntry a : p.alerts()) {
      String state = a.status() == AlertState.resolved ? "resolved" : a.label("severity");
      String color =
          state.equals("critical") ? "#b00020" : state.equals("warning") ? "#b26a00" : "#2e7d32";
      sb.append("<tr style=\"border-top:1px solid #ddd\"><td style=\"color:")
          .append(color)
          .append("\"><b>")
          .append(esc(state))
          .append("</b></td><td>")
          .append(esc(a.message()))
          .append("</td><td>")
          .append(esc(a.label("object")))
          .append("<br><small>target ")
          .append(esc(a.label("target")))
          .append(", job ")
          .append(esc(a.label("job")))
          .append("</small></td><td>")
          .append(esc(figures(a)))
          .append("</td><td>")
          .append(esc(TIME.format(a.startsAt())))
          .append("</td><td>")
          .append(a.status() == AlertState.resolved ? "" : esc(a.suggestedAction()))
          .append("</td></tr>");
    }
    return sb.append("</table><p><small>Notification ")
        .append(esc(p.idempotencyKey()))
        .append(" from pgvector-ops.</small></p></body></html>")
        .toString();
  }

  static String figures(AlertEntry a) {
    if (a.metrics() == null || !a.metrics().isObject()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = a.metrics().fields(); it.hasNext(); ) {
      var e = it.next();
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append('=')
          .append(e.getValue().asText());
    }
    return sb.toString();
  }

  static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
