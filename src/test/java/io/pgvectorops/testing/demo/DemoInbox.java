package io.pgvectorops.testing.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the demo's alerts go (test scope: GreenMail is a test library, and no server ships this): a
 * webhook receiver and a mail server on loopback, each delivery one line in a log and on a page,
 * newest first. {@code bin/pgvector-ops demo} starts it beside the daemon and stops it with it.
 *
 * <p>Arguments: the HTTP port (POST /webhook receives, GET / lists), the SMTP port, the log file.
 */
public final class DemoInbox {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> lines = new ArrayList<>();
  private final Path log;

  private DemoInbox(Path log) {
    this.log = log;
  }

  public static void main(String[] args) throws Exception {
    int httpPort = Integer.parseInt(args[0]);
    int smtpPort = Integer.parseInt(args[1]);
    DemoInbox inbox = new DemoInbox(Path.of(args[2]));
    GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
    mail.start();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 16);
    http.createContext("/webhook", inbox::webhook);
    http.createContext("/", inbox::page);
    http.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  http.stop(0);
                  mail.stop();
                }));
    // each email as it arrives: GreenMail wakes this when the count it waits for is reached (a
    // minute without one: wait again)
    for (int seen = 0; ; ) {
      if (mail.waitForIncomingEmail(60_000, seen + 1)) {
        MimeMessage[] received = mail.getReceivedMessages();
        for (; seen < received.length; seen++) {
          MimeMessage m = received[seen];
          inbox.record("email to " + m.getHeader("To", ", ") + ": " + m.getSubject());
        }
      }
    }
  }

  /** One line per notification: its status, then each alert's severity, kind and object. */
  private void webhook(HttpExchange x) throws IOException {
    try (x) {
      if (!"POST".equals(x.getRequestMethod())) {
        x.sendResponseHeaders(405, -1);
        return;
      }
      JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
      StringBuilder line = new StringBuilder("webhook: " + body.path("status").asText());
      for (JsonNode a : body.path("alerts")) {
        JsonNode l = a.path("labels");
        line.append("; ")
            .append(l.path("severity").asText())
            .append(' ')
            .append(l.path("kind").asText())
            .append(" on ")
            .append(l.path("target").asText())
            .append(' ')
            .append(l.path("object").asText())
            .append(" (")
            .append(a.path("transition").asText())
            .append(')');
      }
      record(line.toString());
      x.sendResponseHeaders(200, -1);
    }
  }

  private void page(HttpExchange x) throws IOException {
    try (x) {
      List<String> newestFirst;
      synchronized (lines) {
        newestFirst = new ArrayList<>(lines);
      }
      java.util.Collections.reverse(newestFirst);
      StringBuilder html =
          new StringBuilder(
                  "<!doctype html><meta charset=utf-8><title>demo inbox</title>"
                      + "<h1>What the demo's alerts delivered</h1><p>")
              .append(newestFirst.size())
              .append(" deliveries, newest first (also in ")
              .append(escape(log.toString()))
              .append(")</p><ul>");
      newestFirst.forEach(l -> html.append("<li>").append(escape(l)).append("</li>"));
      byte[] out = html.append("</ul>").toString().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      x.sendResponseHeaders(200, out.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(out);
      }
    }
  }

  private void record(String what) throws IOException {
    String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + what;
    synchronized (lines) {
      lines.add(line);
      Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
