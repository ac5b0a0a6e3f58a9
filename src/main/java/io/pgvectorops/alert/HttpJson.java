package io.pgvectorops.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A JSON POST whose 2xx answer means delivered; anything else throws, to be retried. */
final class HttpJson {
  private final HttpClient http;
  private final Duration timeout;

  HttpJson(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  void post(String url, String body) throws Exception {
    post(url, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * @param headers more headers (a webhook's own, its signature)
   */
  void post(String url, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "pgvector-ops")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      String text = response.body() == null ? "" : response.body();
      throw new IllegalStateException(
          "HTTP "
              + response.statusCode()
              + (text.isBlank()
                  ? ""
                  : ": " + text.substring(0, Math.min(200, text.length())).strip()));
    }
  }
}
