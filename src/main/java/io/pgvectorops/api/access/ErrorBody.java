package io.pgvectorops.api.access;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The API's error shape, {@code {"code": N, "message": "..."}} (Dropwizard's ErrorMessage), written
 * where no JSON provider is at hand: servlet filters and Jetty's own error pages.
 */
public final class ErrorBody {
  private ErrorBody() {}

  public static byte[] json(int code, String message) {
    StringBuilder b = new StringBuilder("{\"code\":").append(code).append(",\"message\":\"");
    for (char c : (message == null ? "" : message).toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
