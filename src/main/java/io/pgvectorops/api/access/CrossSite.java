package io.pgvectorops.api.access;

import io.pgvectorops.http.Redaction;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a change that another site's page could have sent: a body type an HTML form (or a
 * no-preflight fetch) can send, or an {@code Origin} other than the daemon's own. The bearer token
 * is the first wall (no other site's page can add that header); this is the second, for the day a
 * path or a rule lets a request past the first.
 */
final class CrossSite {
  private static final Set<String> FORM_TYPES =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private CrossSite() {}

  /** Aborts the request and answers true when it may come from another site. */
  static boolean refuse(ContainerRequestContext request) {
    MediaType type = request.getMediaType();
    if (type != null
        && FORM_TYPES.contains(
            (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT))) {
      AccessFilter.abort(
          request,
          415,
          "a change is never sent as "
              + type.getType()
              + "/"
              + type.getSubtype()
              + " (what a web form sends): send no body, or application/json");
      return true;
    }
    String origin = request.getHeaderString("Origin");
    if (origin != null && !sameOrigin(origin, request)) {
      AccessFilter.abort(
          request,
          403,
          "a change from a page of another origin is refused (Origin "
              + Redaction.printable(origin)
              + ")");
      return true;
    }
    return false;
  }

  /** The origin's host and port are the ones the request was sent to (directly or via a proxy). */
  private static boolean sameOrigin(String origin, ContainerRequestContext request) {
    String authority;
    try {
      URI u = new URI(origin.strip());
      if (u.getScheme() == null || u.getHost() == null) {
        return false; // "null": a sandboxed frame or a file
      }
      int port =
          u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
      authority = u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = request.getUriInfo().getRequestUri().getScheme();
    for (String header : new String[] {HttpHeaders.HOST, "X-Forwarded-Host"}) {
      String host = request.getHeaderString(header);
      if (host != null && authority.equals(withPort(host.strip(), scheme))) {
        return true;
      }
    }
    return false;
  }

  private static String withPort(String host, String scheme) {
    String h = host.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    boolean hasPort = colon > h.lastIndexOf(']');
    return hasPort ? h : h + ":" + ("https".equalsIgnoreCase(scheme) ? 443 : 80);
  }
}
