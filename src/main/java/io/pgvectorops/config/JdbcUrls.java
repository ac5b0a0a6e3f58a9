package io.pgvectorops.config;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of a {@code jdbc:postgresql://hosts/database?parameters} URL we need. */
public final class JdbcUrls {
  private static final String PREFIX = "jdbc:postgresql://";
  private static final Pattern URL =
      Pattern.compile("(jdbc:postgresql://[^/?]*)(?:/([^?]*))?(\\?.*)?", Pattern.DOTALL);

  private JdbcUrls() {}

  /** The url with another database, parameters kept. */
  public static String withDatabase(String url, String database) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + url);
    }
    String db = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    return m.group(1) + "/" + db + (m.group(3) == null ? "" : m.group(3));
  }

  /**
   * The server part (hosts and ports as written, default port made explicit), by which runs are
   * counted per server.
   */
  public static String server(String url) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      return url;
    }
    String hosts = m.group(1).substring(PREFIX.length());
    StringBuilder out = new StringBuilder();
    for (String host : hosts.split(",")) {
      out.append(out.length() == 0 ? "" : ",")
          .append(host.isEmpty() ? "localhost" : host)
          .append(host.matches(".*:\\d+") ? "" : ":5432");
    }
    return out.toString();
  }

  /** The database the url names, or null when it names none. */
  public static String database(String url) {
    Matcher m = URL.matcher(url);
    return m.matches() && m.group(2) != null && !m.group(2).isEmpty()
        ? URLDecoder.decode(m.group(2), StandardCharsets.UTF_8)
        : null;
  }
}
