package io.pgvectorops.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback that receives webhooks. Its answers are scripted: each request
 * takes the next planned answer (an HTTP status, or a delay before answering), then 200.
 */
public final class WebhookReceiver implements AutoCloseable {
  static {
    // Without TCP_NODELAY the JDK's server adds about 40 ms to every small response (Nagle plus
    // delayed ACK), which would be measured as our latency; real receivers do not do that.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  public record Request(
      Map<String, List<String>> headers, String body, int answered, java.time.Instant receivedAt) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** status to answer with, after waiting delayMillis. */
  public record Answer(int status, long delayMillis) {}

  private final ConcurrentLinkedQueue<Answer> plan = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private int port;

  public WebhookReceiver start() throws IOException {
    return start(0);
  }

  public WebhookReceiver start(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 16);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          java.time.Instant receivedAt = java.time.Instant.now();
          Answer a = plan.poll();
          int status = a == null ? 200 : a.status();
          if (a != null && a.delayMillis() > 0) {
            try {
              Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          requests.add(
              new Request(Map.copyOf(exchange.getRequestHeaders()), body, status, receivedAt));
          byte[] out = (status == 200 ? "ok" : "receiver says no").getBytes(StandardCharsets.UTF_8);
          try {
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
          } catch (IOException gone) {
            // the client gave up (timeout): what a hanging receiver looks like from here
          }
          exchange.close();
        });
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  public void plan(Answer... answers) {
    plan.addAll(List.of(answers));
  }

  /** Drops the answers still planned: every request from now on is answered 200. */
  public void clearPlan() {
    plan.clear();
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  public int port() {
    return port;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> accepted() {
    return requests.stream().filter(r -> r.answered() == 200).toList();
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
