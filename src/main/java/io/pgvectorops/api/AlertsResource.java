package io.pgvectorops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.alert.AlertEngine;
import io.pgvectorops.alert.AlertEntry;
import io.pgvectorops.alert.AlertRecord;
import io.pgvectorops.alert.AlertState;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.alert.Channel;
import io.pgvectorops.alert.Channels;
import io.pgvectorops.alert.NotificationPayload;
import io.pgvectorops.alert.Silence;
import io.pgvectorops.alert.Transition;
import io.pgvectorops.common.Text;
import io.pgvectorops.config.ApiConfig.Role;
import io.pgvectorops.http.Mutating;
import io.pgvectorops.http.Params;
import io.pgvectorops.http.Reading;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {
  private final AlertStore store;
  private final Channels channels;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final AlertEngine engine;

  public AlertsResource(
      AlertStore store, AlertEngine engine, Channels channels, Clock clock, ObjectMapper mapper) {
    this.store = store;
    this.engine = engine;
    this.channels = channels;
    this.clock = clock;
    this.mapper = mapper;
  }

  /**
   * An alert as {@code GET /api/alerts} lists it.
   *
   * @param resolving firing, but its finding is gone: it resolves at resolvesAt unless the finding
   *     comes back (keepFiringFor)
   */
  public record AlertView(
      AlertRecord alert,
      boolean silenced,
      List<AlertStore.Delivery> deliveries,
      boolean resolving,
      Instant resolvesAt) {}

  /** One channel's answer to a test notification. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ChannelTest(String channel, boolean ok, String error, long millis) {}

  /** {@code POST /api/alerts/test}: the notification's key and each channel's answer. */
  public record TestAnswer(String idempotencyKey, List<ChannelTest> channels) {}

  @Reading
  @GET
  public List<AlertView> list(
      @QueryParam("state") String state, @QueryParam("limit") String limit) {
    String s = state == null ? AlertState.firing.name() : state;
    if (Arrays.stream(AlertState.values()).noneMatch(v -> v.name().equals(s))) {
      throw new BadRequestException("state must be firing or resolved, got '" + state + "'");
    }
    List<AlertRecord> alerts = store.list(s, Params.limit(limit, 200, 5000));
    List<Silence> silences = store.activeSilences(clock.instant());
    var deliveries = store.deliveries(alerts.stream().map(AlertRecord::id).toList());
    return alerts.stream()
        .map(
            a -> {
              Instant resolvesAt = a.resolvesAt(engine.keepFiringFor());
              return new AlertView(
                  a,
                  silences.stream().anyMatch(x -> x.matches(a.target(), a.object(), a.kind())),
                  deliveries.getOrDefault(a.id(), List.of()),
                  resolvesAt != null,
                  resolvesAt);
            })
        .toList();
  }

  /**
   * Sends a test notification through every channel now (not through the outbox) and reports each.
   */
  @Mutating(role = Role.operator, action = "alert-test")
  @POST
  @Path("/test")
  public TestAnswer test() {
    NotificationPayload payload = testPayload(clock.instant());
    List<ChannelTest> results = new ArrayList<>();
    for (Channel channel : channels.all()) {
      long start = System.nanoTime();
      String error = null;
      try {
        channel.send(payload, mapper.writeValueAsString(payload));
      } catch (Exception e) {
        error = Text.firstLine(String.valueOf(e.getMessage()));
      }
      results.add(
          new ChannelTest(
              channel.id(), error == null, error, (System.nanoTime() - start) / 1_000_000));
    }
    return new TestAnswer(payload.idempotencyKey(), results);
  }

  /** A firing warning that says it is a test, in the shape every channel sends. */
  private NotificationPayload testPayload(Instant now) {
    String key = UUID.randomUUID().toString();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("target", "pgvector-ops");
    labels.put("object", "test");
    labels.put("kind", "test");
    labels.put("job", "test");
    labels.put("severity", "warning");
    return new NotificationPayload(
        NotificationPayload.VERSION,
        key,
        AlertState.firing,
        "test",
        "pgvector-ops",
        null,
        now,
        List.of(
            new AlertEntry(
                0,
                AlertState.firing,
                Transition.firing,
                labels,
                "This is a test notification from pgvector-ops: this channel works.",
                mapper.createObjectNode(),
                now,
                null,
                "Nothing to do.")));
  }
}
