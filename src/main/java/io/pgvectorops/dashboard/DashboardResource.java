package io.pgvectorops.dashboard;

import io.pgvectorops.http.Anonymous;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard: one HTML page and its script, style and icon, shipped in the jar under dashboard/.
 * The page reads the same JSON API an operator's scripts do, so what it shows is what the API says.
 */
@Path("/")
public class DashboardResource {
  /**
   * Only these names are served: no path from a request ever reaches the class loader unchecked.
   */
  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(js|css|svg)");

  private static final Pattern EXTENSION = Pattern.compile("\\.([a-z]+)$");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  /**
   * Scripts and styles from this origin only, no inline script, no framing: a hostile index or
   * table name that reached the page could not run as code even if the page's escaping failed.
   */
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @Anonymous
  @GET
  public Response page() {
    return serve("index.html");
  }

  @Anonymous
  @GET
  @Path("ui/{file}")
  public Response file(@PathParam("file") String name) {
    if (!FILE.matcher(name).matches()) {
      throw new NotFoundException("no dashboard file named '" + name + "'");
    }
    return serve(name);
  }

  private Response serve(String name) {
    byte[] body = files.computeIfAbsent(name, DashboardResource::load);
    if (body.length == 0) {
      throw new NotFoundException("no dashboard file named '" + name + "'");
    }
    Matcher ext = EXTENSION.matcher(name);
    ext.find();
    return Response.ok(body, TYPES.get(ext.group(1)))
        .header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        // the files are small and change with the jar: always revalidate rather than serve an old
        // script
        .header("Cache-Control", "no-cache")
        .build();
  }

  private static byte[] load(String name) {
    try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
