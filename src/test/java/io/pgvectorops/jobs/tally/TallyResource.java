package io.pgvectorops.jobs.tally;

import io.pgvectorops.http.Reading;
import io.pgvectorops.jobs.ApiContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/tally/{target}}: how many tally runs the target has had. */
@Path("/api/tally")
@Produces(MediaType.APPLICATION_JSON)
public final class TallyResource {
  private final TallyStore store;
  private final ApiContext api;

  public TallyResource(TallyStore store, ApiContext api) {
    this.store = store;
    this.api = api;
  }

  @Reading
  @GET
  @Path("/{target}")
  public TallyStore.Count count(@PathParam("target") String target) {
    if (api.targets().get(target).isEmpty()) {
      throw new NotFoundException("no target named '" + target + "'");
    }
    return store.counts().stream()
        .filter(c -> c.target().equals(target))
        .findFirst()
        .orElse(new TallyStore.Count(target, 0));
  }
}
