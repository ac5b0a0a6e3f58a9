package io.pgvectorops.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request sent byte for byte as given, for paths and headers that a client library
 * would normalise or refuse (matrix parameters, dot segments, control characters). Reads the whole
 * answer (Connection: close), within a timeout.
 */
public final class RawHttp {
  /** The status and body of an answer; status 0 when the server closed without one. */
  public record Answer(int status, String contentType, String body, String head) {
    /** The first value of a header, or null. */
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }
  }

  private RawHttp() {}

  public static Answer send(
      int port, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(30_000);
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Host", "127.0.0.1:" + port);
      h.put("Connection", "close");
      h.putAll(headers);
      if (body != null) {
        h.put("Content-Length", String.valueOf(body.length));
      }
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
      h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException e) {
          // the server may answer (413) and close before it read the whole body
        }
      }
      out.flush();
      return read(s.getInputStream());
    }
  }

  public static Answer send(int port, String method, String target, Map<String, String> headers)
      throws IOException {
    return send(port, method, target, headers, null);
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (IOException e) {
      // a reset after the answer was sent: keep what arrived
    }
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.")) {
      return new Answer(0, null, text, "");
    }
    int status = Integer.parseInt(text.substring(9, 12));
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String type = null;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        type = line.substring(13).strip();
      }
    }
    // ISO-8859-1 keeps one char per byte, so chunk sizes (bytes) index the text
    String body = end < 0 ? "" : text.substring(end + 4);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Answer(
        status,
        type,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8),
        head);
  }

  private static String dechunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int size;
      try {
        size = Integer.parseInt(body.substring(i, eol).split(";")[0].strip(), 16);
      } catch (NumberFormatException e) {
        break;
      }
      if (size == 0) {
        break;
      }
      int start = eol + 2;
      int stop = Math.min(body.length(), start + size);
      out.append(body, start, stop);
      i = stop + 2;
    }
    return out.toString();
  }
}
