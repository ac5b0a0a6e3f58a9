package io.pgvectorops.api;

import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.state.AuditStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/audit}: who changed what, newest first. A viewer may read it. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
  private final AuditStore store;

  public AuditResource(AuditStore store) {
    this.store = store;
  }

  @Reading
  @GET
  public List<AuditStore.Entry> recent(
      @QueryParam("action") String action, @QueryParam("limit") String limit) {
    return store.recent(action, Params.limit(limit, 100, 1000));
  }
}
