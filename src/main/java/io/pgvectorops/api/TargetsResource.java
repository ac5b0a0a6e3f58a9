package io.pgvectorops.api;

import io.pgvectorops.state.InventoryStore;
import io.pgvectorops.target.Target;
import io.pgvectorops.target.Targets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

@Path("/api/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {
  private final Targets targets;
  private final InventoryStore inventory;

  public TargetsResource(Targets targets, InventoryStore inventory) {
    this.targets = targets;
    this.inventory = inventory;
  }

  @GET
  public List<Map<String, Object>> list() {
    return TargetViews.summaries(targets, inventory.snapshots());
  }

  @GET
  @Path("/{name}")
  public Map<String, Object> one(@PathParam("name") String name) {
    Target t = targets.get(name).orElseThrow(() -> new NotFoundException("no target named '" + name + "'"));
    var snapshot = StatusResource.byTarget(inventory.snapshots()).get(name);
    Map<String, Object> m = TargetViews.summary(t, snapshot);
    m.put("extensions", snapshot == null ? null : snapshot.extensions());
    m.put("vectorIndexes", inventory.indexes(name));
    return m;
  }
}
