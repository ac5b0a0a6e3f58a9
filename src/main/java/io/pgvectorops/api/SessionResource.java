package io.pgvectorops.api;

import io.pgvectorops.api.access.AccessFilter;
import io.pgvectorops.api.access.AccessRule;
import io.pgvectorops.api.access.Caller;
import io.pgvectorops.api.access.LiveAccess;
import io.pgvectorops.config.ApiConfig.ReadAccess;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Anonymous;
import io.pgvectorops.http.Mutating;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/session}: what the presented token may do, so the dashboard can ask for a token
 * and disable what its role may not use. Needs no token; a token that matches none is a 401.
 */
@Path("/api/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
  /**
   * @param caller null when no token was presented
   * @param actions each mutating call's audit name with the role it needs
   */
  public record Session(ReadAccess readAccess, Caller caller, Map<String, Role> actions) {}

  private final LiveAccess access;
  private final Map<String, Role> actions = new TreeMap<>();

  /**
   * @param resources the resource classes whose {@link Mutating} methods are listed
   */
  public SessionResource(LiveAccess access, List<Class<?>> resources) {
    this.access = access;
    for (Class<?> r : resources) {
      for (Method m : r.getMethods()) {
        AccessRule.of(m)
            .filter(rule -> rule.kind() == AccessRule.Kind.mutating)
            .ifPresent(rule -> actions.put(rule.action(), rule.role()));
      }
    }
  }

  @GET
  @Anonymous
  public Session session(@Context ContainerRequestContext request) {
    return new Session(
        access.current().readAccess(), AccessFilter.caller(request).orElse(null), actions);
  }
}
