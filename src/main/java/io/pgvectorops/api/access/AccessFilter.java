package io.pgvectorops.api.access;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.ApiConfig.Role;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what under /api: a presented token must match one of {@code api.tokens}; a {@link
 * Mutating} call needs its role; other calls need a viewer's token when {@code api.readAccess} is
 * {@code token}. The caller is kept in the request for the audit trail and the resources.
 */
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter {
  static final String CALLER = "pgvector-ops.caller";
  private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);
  private static final String BEARER = "Bearer ";
  private static final String CHALLENGE = "Bearer realm=\"pgvector-ops\"";

  private final LiveAccess access;
  private final Runnable failures;

  @Context private ResourceInfo resource;
  @Context private HttpServletRequest servlet;

  /**
   * @param failures counts presented tokens that match none
   */
  public AccessFilter(LiveAccess access, Runnable failures) {
    this.access = access;
    this.failures = failures;
  }

  /** The caller the filter found for this request, if a valid token was presented. */
  public static Optional<Caller> caller(ContainerRequestContext request) {
    return Optional.ofNullable((Caller) request.getProperty(CALLER));
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!request.getUriInfo().getPath().startsWith("api/")) {
      return;
    }
    // one set of tokens for the whole request, even if a reload replaces it meanwhile
    LiveAccess.Access now = access.current();
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    Caller caller = null;
    if (authorization != null) {
      caller = authenticate(now.tokens(), authorization).orElse(null);
      if (caller == null) {
        failures.run();
        // the presented value is never logged: a mistyped token is most of a real one
        LOG.warn(
            "api: a token that matches none of api.tokens was presented from {} for {} /{}",
            servlet.getRemoteAddr(),
            request.getMethod(),
            request.getUriInfo().getPath());
        abort(request, 401, "the bearer token presented matches none of api.tokens");
        return;
      }
      request.setProperty(CALLER, caller);
    }
    Method method = resource.getResourceMethod();
    if (method == null || method.isAnnotationPresent(Anonymous.class)) {
      return;
    }
    Mutating mutating = method.getAnnotation(Mutating.class);
    if (mutating != null) {
      requireRole(request, now.tokens(), caller, mutating.role());
    } else if (now.readAccess() == ReadAccess.token && caller == null) {
      abort(
          request,
          401,
          "reading needs a token (api.readAccess is token): Authorization: Bearer <token>");
    }
  }

  private static void requireRole(
      ContainerRequestContext request, TokenTable tokens, Caller caller, Role needed) {
    if (caller != null && caller.role().includes(needed)) {
      return;
    }
    if (caller != null) {
      abort(
          request,
          403,
          "token '"
              + caller.name()
              + "' has role "
              + caller.role()
              + "; this call needs "
              + needed
              + " or above");
    } else if (!tokens.anyWith(needed)) {
      abort(
          request,
          403,
          "this call is disabled: no token in api.tokens (or api.token) has role "
              + needed
              + " or above");
    } else {
      abort(request, 401, "a bearer token of role " + needed + " or above is required");
    }
  }

  private static Optional<Caller> authenticate(TokenTable tokens, String authorization) {
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return tokens.match(authorization.substring(BEARER.length()).strip());
  }

  private static void abort(ContainerRequestContext request, int status, String message) {
    Response.ResponseBuilder r =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorMessage(status, message));
    if (status == 401) {
      r.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
    }
    request.abortWith(r.build());
  }
}
