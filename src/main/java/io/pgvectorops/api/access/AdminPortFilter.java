package io.pgvectorops.api.access;

import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Redaction;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port's rule. What changes the daemon or shows its insides needs an admin's token:
 * Dropwizard's tasks ({@code /tasks/*}: log levels, a garbage collection), {@code /threads} (every
 * thread's stack) and {@code /pprof} (a CPU profile, which also costs CPU while it runs). The rest
 * ({@code /ping}, {@code /healthcheck}, {@code /metrics}, {@code /metrics/prometheus}, the menu) is
 * what load balancers and Prometheus poll and stays open: the port listens on loopback by default.
 * Decided on the servlet path after Jetty's normalisation, and on the prefix in any case, so no
 * spelling slips past; a path this filter does not know is treated as needing the admin token.
 */
public final class AdminPortFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AdminPortFilter.class);

  private final LiveAccess access;

  public AdminPortFilter(LiveAccess access) {
    this.access = access;
  }

  /** Whether the admin port's path needs an admin token. */
  public static boolean needsAdmin(String path) {
    String p = path == null || path.isEmpty() ? "/" : path.toLowerCase(Locale.ROOT);
    return !(p.equals("/")
        || p.equals("/ping")
        || p.equals("/healthcheck")
        || p.equals("/metrics")
        || p.equals("/metrics/prometheus"));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path =
        request.getPathInfo() == null
            ? request.getServletPath()
            : request.getServletPath() + request.getPathInfo();
    if (!needsAdmin(path)) {
      chain.doFilter(req, res);
      return;
    }
    LiveAccess.Access now = access.current();
    String authorization = request.getHeader("Authorization");
    Caller caller =
        authorization == null
            ? null
            : AccessFilter.authenticate(now.tokens(), authorization).orElse(null);
    if (caller != null && caller.role().includes(Role.admin)) {
      LOG.info(
          "admin port: {} {} by {} from {}",
          request.getMethod(),
          Redaction.printable(request.getRequestURI()),
          caller.name(),
          request.getRemoteAddr());
      chain.doFilter(req, res);
      return;
    }
    refuse(request, response, caller, now);
  }

  /** 403 for a token without the admin role or when no admin token exists, else 401. */
  private static void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      Caller caller,
      LiveAccess.Access now)
      throws IOException {
    int status;
    String message;
    if (caller != null) {
      status = 403;
      message = "token '" + caller.name() + "' has role " + caller.role() + "; this needs admin";
    } else if (!now.tokens().anyWith(Role.admin)) {
      status = 403;
      message =
          "disabled: tasks, /threads and /pprof need a token of role admin in api.tokens, and"
              + " there is none";
    } else {
      status = 401;
      message = "a bearer token of role admin is required";
      response.setHeader("WWW-Authenticate", "Bearer realm=\"pgvector-ops\"");
    }
    LOG.warn(
        "admin port: {} {} from {} refused ({})",
        request.getMethod(),
        Redaction.printable(request.getRequestURI()),
        request.getRemoteAddr(),
        status);
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(ErrorBody.json(status, message));
  }
}
