package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.alert.Silence;
import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import io.pgvectorops.targets.Targets;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
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
  private final AlertsConfig limits;
  private final Targets targets;

  public SilencesResource(AlertStore store, Clock clock, AlertsConfig limits, Targets targets) {
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.targets = targets;
  }

  /**
   * {@code ?state=active} (default): those in force now. {@code ?state=all}: every silence, newest
   * first, {@code limit} (default 200, at most 1000) at a time; when more are left, a {@code Link:
   * <...>; rel="next"} header names the next page ({@code before=} the last id given).
   */
  @Reading
  @GET
  public Response list(
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    String s = state == null ? "active" : state;
    if (!s.equals("active") && !s.equals("all")) {
      throw new BadRequestException("state must be active or all, got '" + state + "'");
    }
    if (s.equals("active")) {
      return Response.ok(store.activeSilences(clock.instant())).build();
    }
    int n = Params.limit(limit, 200, 1000);
    long below = before == null ? Long.MAX_VALUE : Params.id("before", before);
    List<Silence> page = store.silences(below, n + 1);
    Response.ResponseBuilder r = Response.ok(page.subList(0, Math.min(n, page.size())));
    if (page.size() > n) {
      r.header(
          "Link",
          "</api/silences?state=all&limit="
              + n
              + "&before="
              + page.get(n - 1).id()
              + ">; rel=\"next\"");
    }
    return r.build();
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
    checkPeriod(starts, body.endsAt, now);
    if (body.target == null && body.kind == null && body.objectPattern == null) {
      throw new BadRequestException("a silence needs at least one of target, kind, objectPattern");
    }
    Params.text("target", body.target, 500, false);
    Params.text("kind", body.kind, 500, false);
    Params.text("objectPattern", body.objectPattern, 500, false);
    Params.text("comment", body.comment, 500, true);
    if (body.target != null && targets.get(body.target).isEmpty()) {
      throw new BadRequestException(
          "no target named '" + body.target + "' (GET /api/targets lists them)");
    }
    if (store.pendingSilences(now) >= limits.maxSilences) {
      throw Params.conflict(
          "alerts.maxSilences ("
              + limits.maxSilences
              + ") silences are in force or scheduled: expire some first");
    }
    long id =
        store.addSilence(
            body.target, body.kind, body.objectPattern, starts, body.endsAt, body.comment, now);
    return Response.created(URI.create("/api/silences/" + id)).entity(Map.of("id", id)).build();
  }

  private void checkPeriod(Instant starts, Instant ends, Instant now) {
    if (ends == null || !ends.isAfter(starts) || !ends.isAfter(now)) {
      throw new BadRequestException(
          "endsAt must be an ISO-8601 time in the future, after startsAt");
    }
    Duration longest = Duration.ofMillis(limits.maxSilenceDuration.toMilliseconds());
    if (starts.isAfter(now.plus(longest))
        || starts.isBefore(now.minus(longest))
        || Duration.between(starts, ends).compareTo(longest) > 0) {
      throw new BadRequestException(
          "a silence lasts at most alerts.maxSilenceDuration ("
              + limits.maxSilenceDuration
              + ") and starts within that of now; got "
              + starts
              + " to "
              + ends);
    }
  }

  @Mutating(role = Role.operator, action = "silence-expire")
  @DELETE
  @Path("/{id}")
  public Expired expire(@PathParam("id") String idText) {
    long id = Params.id("silence id", idText);
    if (!store.expireSilence(id, clock.instant())) {
      throw new NotFoundException("no active silence with id " + id);
    }
    return new Expired(id, true);
  }

  /** {@code DELETE /api/silences/{id}}. */
  public record Expired(long id, boolean expired) {}
}
