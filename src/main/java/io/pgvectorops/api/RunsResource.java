package io.pgvectorops.api;

import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.jobs.SummaryLayout;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.FindingStore;
import io.pgvectorops.state.RunRecord;
import io.pgvectorops.state.RunStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {
  private final RunStore runs;
  private final FindingStore findings;
  private final Map<String, SummaryLayout> layouts;

  public RunsResource(RunStore runs, FindingStore findings, Map<String, SummaryLayout> layouts) {
    this.runs = runs;
    this.findings = findings;
    this.layouts = layouts;
  }

  @Reading
  @GET
  @Path("/{id}")
  public RunView one(@PathParam("id") String idText) {
    long id = Params.id("run id", idText);
    RunRecord run = runs.get(id).orElseThrow(() -> new NotFoundException("no run with id " + id));
    return new RunView(run, run.durationMillis(), findings.ofRun(id), layouts.get(run.kind()));
  }

  /**
   * {@code GET /api/runs/{id}}: the run, how long it took, the findings it recorded, and how its
   * kind's summary is shown (null for a kind no longer installed).
   */
  public record RunView(
      RunRecord run,
      Long durationMillis,
      List<FindingRecord> findings,
      SummaryLayout summaryLayout) {}
}
