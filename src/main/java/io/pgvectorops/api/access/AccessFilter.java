package io.pgvectorops.api.access;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Reading;
import io.pgvectorops.http.Redaction;
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
 * Who may call what, decided on the matched resource method's {@link AccessRule} and never on the
 * path string: a presented token must match one of {@code api.tokens}; a {@link Mutating} call
 * needs its role and may not come from another site's page; a {@link Reading} needs a viewer's
 * token when {@code api.readAccess} is {@code token}. The caller is kept in the request for the
 * audit trail and the resources.
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

  private void refuseUnknownToken(ContainerRequestContext request) {
    failures.run();
    // the presented value is never logged: a mistyped token is most of a real one
    LOG.warn(
        "api: a token that matches none of api.tokens was presented from {} for {} {}",
        servlet.getRemoteAddr(),
        request.getMethod(),
        Redaction.printable(servlet.getRequestURI()));
    abort(request, 401, "the bearer token presented matches none of api.tokens");
  }

  @Override
  public void filter(ContainerRequestContext request) {
    AccessRule rule = rule(request);
    if (rule == null) {
      return;
    }
    // one set of tokens for the whole request, even if a reload replaces it meanwhile
    LiveAccess.Access now = access.current();
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    Caller caller = null;
    if (authorization != null) {
      caller = authenticate(now.tokens(), authorization).orElse(null);
      if (caller == null) {
        refuseUnknownToken(request);
        return;
      }
      request.setProperty(CALLER, caller);
    }
    switch (rule.kind()) {
      case anonymous -> {}
      case read -> {
        if (now.readAccess() == ReadAccess.token && caller == null) {
          abort(
              request,
              401,
              "reading needs a token (api.readAccess is token): Authorization: Bearer <token>");
        }
      }
      case mutating -> {
        if (CrossSite.refuse(request)) {
          return;
        }
        requireRole(request, now.tokens(), caller, rule.role());
      }
    }
  }

  /**
   * The matched method's rule; null for what needs no check. A method of ours that declares no rule
   * is refused: fail closed, and the endpoint test names it.
   */
  private AccessRule rule(ContainerRequestContext request) {
    Method method = resource.getResourceMethod();
    if (method == null || !AccessRule.isOurs(method)) {
      // Jersey's own answers (OPTIONS, a HEAD without a method of ours) say no more than a read
      return AccessRule.READ;
    }
    Optional<AccessRule> rule = AccessRule.of(method);
    if (rule.isEmpty()) {
      LOG.error(
          "api: {}.{} declares no access rule (one of @Anonymous, @Reading, @Mutating): refused",
          method.getDeclaringClass().getSimpleName(),
          method.getName());
      abort(request, 403, "this endpoint declares no access rule: refused");
      return null;
    }
    return rule.get();
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

  /** The caller an {@code Authorization} header's bearer token names, if any. */
  static Optional<Caller> authenticate(TokenTable tokens, String authorization) {
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return tokens.match(authorization.substring(BEARER.length()).strip());
  }

  static void abort(ContainerRequestContext request, int status, String message) {
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
