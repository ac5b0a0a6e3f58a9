package io.pgvectorops.api;

import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.FindingStore;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/findings")
@Produces(MediaType.APPLICATION_JSON)
public class FindingsResource {
  private final FindingStore findings;

  public FindingsResource(FindingStore findings) {
    this.findings = findings;
  }

  @Reading
  @GET
  public List<FindingRecord> list(
      @QueryParam("state") String state,
      @QueryParam("target") String target,
      @QueryParam("job") String job,
      @QueryParam("limit") String limit) {
    String s = state == null ? "open" : state;
    if (!s.equals("open") && !s.equals("resolved")) {
      throw new BadRequestException("state must be open or resolved, got '" + state + "'");
    }
    return findings.list(s.equals("open"), target, job, Params.limit(limit, 200, 5000));
  }
}
