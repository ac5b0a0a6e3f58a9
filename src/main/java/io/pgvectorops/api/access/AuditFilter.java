package io.pgvectorops.api.access;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.common.Text;
import io.pgvectorops.http.Redaction;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.state.AuditStore;
import io.pgvectorops.state.AuditStore.Entry;
import io.pgvectorops.state.AuditStore.Outcome;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.lang.reflect.Method;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every {@link Mutating} call, allowed or not, in the audit trail and as one log line. The
 * log line is written even when the state database cannot take the entry.
 */
@Priority(Priorities.AUTHENTICATION)
public class AuditFilter implements ContainerResponseFilter {
  private static final Logger LOG = LoggerFactory.getLogger("io.pgvectorops.audit");

  private final AuditStore store;
  private final Clock clock;

  @Context private ResourceInfo resource;
  @Context private HttpServletRequest servlet;

  public AuditFilter(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Method method = resource.getResourceMethod();
    AccessRule rule = method == null ? null : AccessRule.of(method).orElse(null);
    if (rule == null || rule.kind() != AccessRule.Kind.mutating) {
      return;
    }
    Caller caller = AccessFilter.caller(request).orElse(null);
    int status = response.getStatus();
    Outcome outcome =
        status < 400
            ? Outcome.succeeded
            : status == 401 || status == 403 ? Outcome.refused : Outcome.failed;
    // as sent (raw, percent-encoded), with any secret-like parameter's value redacted
    String query = Redaction.query(request.getUriInfo().getRequestUri().getRawQuery());
    String object =
        Redaction.printable(
            request.getUriInfo().getRequestUri().getRawPath() + (query == null ? "" : "?" + query));
    record(
        new Entry(
            0,
            clock.instant(),
            caller == null ? null : caller.name(),
            caller == null ? null : caller.role().name(),
            servlet.getRemoteAddr(),
            rule.action(),
            object,
            outcome,
            status,
            detail(response)));
  }

  /** Writes the entry and its log line; an entry the store cannot take is only logged. */
  public void record(Entry e) {
    String who = e.tokenName() == null ? "no valid token" : e.tokenName() + " (" + e.role() + ")";
    LOG.info(
        "audit: {} {} by {} from {}: {} {}{}",
        e.action(),
        e.object(),
        who,
        e.client(),
        e.outcome(),
        e.status(),
        e.detail() == null ? "" : " (" + e.detail() + ")");
    try {
      store.record(e);
    } catch (DbException ex) {
      LOG.warn(
          "audit: the entry above could not be stored in the state database: {}", ex.getMessage());
    }
  }

  private static String detail(ContainerResponseContext response) {
    if (response.getEntity() instanceof ErrorMessage m) {
      return Redaction.printable(Text.firstLine(m.getMessage()));
    }
    if (response.getLocation() != null) {
      return "created " + response.getLocation().getPath();
    }
    return null;
  }
}
