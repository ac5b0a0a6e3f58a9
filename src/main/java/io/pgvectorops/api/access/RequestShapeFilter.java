package io.pgvectorops.api.access;

import io.pgvectorops.http.Redaction;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses, before anything reads them, parameters no caller needs: a secret in the query string (it
 * would reach logs and the audit trail; tokens go in the Authorization header) and control
 * characters in the path or query (a NUL cannot be stored in PostgreSQL and made such calls fail as
 * "database unavailable"). Runs after matching, so a refused change is still audited.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestShapeFilter implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    MultivaluedMap<String, String> query;
    MultivaluedMap<String, String> path;
    try {
      query = request.getUriInfo().getQueryParameters(true);
      path = request.getUriInfo().getPathParameters(true);
    } catch (IllegalArgumentException e) {
      AccessFilter.abort(request, 400, "the request's URI cannot be decoded: " + e.getMessage());
      return;
    }
    for (String name : query.keySet()) {
      if (Redaction.secretName(name)) {
        AccessFilter.abort(
            request,
            400,
            "query parameter '"
                + Redaction.printable(name)
                + "' looks like a secret: secrets never go in a URL (it is logged); send a token"
                + " as the header Authorization: Bearer <token>");
        return;
      }
    }
    String bad = firstWithControl("query parameter", query);
    if (bad == null) {
      bad = firstWithControl("path segment", path);
    }
    if (bad != null) {
      AccessFilter.abort(request, 400, bad + " holds a control character (e.g. NUL): refused");
    }
  }

  private static String firstWithControl(String what, MultivaluedMap<String, String> params) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (Redaction.hasControl(e.getKey())) {
        return what + " name '" + Redaction.printable(e.getKey()) + "'";
      }
      for (String v : e.getValue()) {
        if (Redaction.hasControl(v)) {
          return what + " '" + Redaction.printable(e.getKey()) + "'";
        }
      }
    }
    return null;
  }
}
