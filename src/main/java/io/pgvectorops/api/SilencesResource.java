package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.alert.Silence;
import io.pgvectorops.api.access.Mutating;
import io.pgvectorops.api.access.Reading;
import io.pgvectorops.config.ApiConfig.Role;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@Path("/api/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilencesResource {
  /**
   * The request body of POST /api/silences; unknown fields are errors (the application's mapper).
   */
  public static class NewSilence {
    @JsonProperty public String target;
    @JsonProperty public String kind;
    @JsonProperty public String objectPattern;
    @JsonProperty public Instant startsAt;
    @JsonProperty public Instant endsAt;
    @JsonProperty public String comment;
  }

  private final AlertStore store;
  private final Clock clock;

  public SilencesResource(AlertStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Reading
  @GET
  public List<Silence> list(@QueryParam("state") String state) {
    String s = state == null ? "active" : state;
    if (!s.equals("active") && !s.equals("all")) {
      throw new BadRequestException("state must be active or all, got '" + state + "'");
    }
    return s.equals("active") ? store.activeSilences(clock.instant()) : store.silences(1000);
  }

  @Mutating(role = Role.operator, action = "silence-create")
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(NewSilence body) {
    if (body == null) {
      throw new BadRequestException(
          "a JSON body is required: {target, kind, objectPattern, endsAt, comment}");
    }
    Instant now = clock.instant();
    Instant starts = body.startsAt == null ? now : body.startsAt;
    if (body.endsAt == null || !body.endsAt.isAfter(starts) || !body.endsAt.isAfter(now)) {
      throw new BadRequestException(
          "endsAt must be an ISO-8601 time in the future, after startsAt");
    }
    if (body.target == null && body.kind == null && body.objectPattern == null) {
      throw new BadRequestException("a silence needs at least one of target, kind, objectPattern");
    }
    for (String v : new String[] {body.target, body.kind, body.objectPattern, body.comment}) {
      if (v != null && v.length() > 500) {
        throw new BadRequestException("fields are limited to 500 characters");
      }
    }
    long id =
        store.addSilence(
            body.target, body.kind, body.objectPattern, starts, body.endsAt, body.comment, now);
    return Response.created(java.net.URI.create("/api/silences/" + id))
        .entity(Map.of("id", id))
        .build();
  }

  @Mutating(role = Role.operator, action = "silence-expire")
  @DELETE
  @Path("/{id}")
  public Expired expire(@PathParam("id") String idText) {
    long id = Params.id(idText);
    if (!store.expireSilence(id, clock.instant())) {
      throw new NotFoundException("no active silence with id " + id);
    }
    return new Expired(id, true);
  }

  /** {@code DELETE /api/silences/{id}}. */
  public record Expired(long id, boolean expired) {}
}
