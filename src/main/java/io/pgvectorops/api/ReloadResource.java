package io.pgvectorops.api;

import io.dropwizard.jersey.errors.ErrorMessage;
import io.pgvectorops.api.access.AccessFilter;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.config.Reload;
import io.pgvectorops.http.Mutating;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/reload} (admin): re-reads the targets and the job files as SIGHUP does. A broken
 * file is a 422 naming file and key, and the running configuration stays.
 */
@Path("/api/reload")
@Produces(MediaType.APPLICATION_JSON)
public class ReloadResource {
  private final Reload reload;

  public ReloadResource(Reload reload) {
    this.reload = reload;
  }

  @POST
  @Mutating(role = Role.admin, action = "reload")
  public Response reload(@Context ContainerRequestContext request) {
    String by =
        AccessFilter.caller(request).map(c -> "token " + c.name()).orElse("an unknown caller");
    Reload.Report report = reload.reload(by);
    if (report.applied()) {
      return Response.ok(report).build();
    }
    return Response.status(422).entity(new ErrorMessage(422, report.error())).build();
  }
}
