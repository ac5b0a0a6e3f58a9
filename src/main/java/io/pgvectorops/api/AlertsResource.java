package io.pgvectorops.api;

import io.pgvectorops.alert.AlertEntry;
import io.pgvectorops.alert.AlertRecord;
import io.pgvectorops.alert.AlertStore;
import io.pgvectorops.alert.Channel;
import io.pgvectorops.alert.Channels;
import io.pgvectorops.alert.NotificationPayload;
import io.pgvectorops.alert.Silence;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {
  private final AlertStore store;
  private final Channels channels;
  private final ApiToken token;
  private final Clock clock;
  private final com.fasterxml.jackson.databind.ObjectMapper mapper;

  public AlertsResource(
      AlertStore store,
      Channels channels,
      ApiToken token,
      Clock clock,
      com.fasterxml.jackson.databind.ObjectMapper mapper) {
    this.store = store;
    this.channels = channels;
    this.token = token;
    this.clock = clock;
    this.mapper = mapper;
  }

  @GET
  public List<Map<String, Object>> list(
      @QueryParam("state") String state, @QueryParam("limit") String limit) {
    String s = state == null ? "firing" : state;
    if (!s.equals("firing") && !s.equals("resolved")) {
      throw new BadRequestException("state must be firing or resolved, got '" + state + "'");
    }
    List<AlertRecord> alerts = store.list(s, Params.limit(limit, 200, 5000));
    List<Silence> silences = store.activeSilences(clock.instant());
    var deliveries = store.deliveries(alerts.stream().map(AlertRecord::id).toList());
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlertRecord a : alerts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert", a);
      m.put(
          "silenced", silences.stream().anyMatch(x -> x.matches(a.target(), a.object(), a.kind())));
      m.put("deliveries", deliveries.getOrDefault(a.id(), List.of()));
      out.add(m);
    }
    return out;
  }

  /**
   * Sends a test notification through every channel now (not through the outbox) and reports each.
   */
  @POST
  @Path("/test")
  public Map<String, Object> test(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    token.require(authorization);
    Instant now = clock.instant();
    String key = UUID.randomUUID().toString();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("target", "pgvector-ops");
    labels.put("object", "test");
    labels.put("kind", "test");
    labels.put("job", "test");
    labels.put("severity", "warning");
    NotificationPayload payload =
        new NotificationPayload(
            NotificationPayload.VERSION,
            key,
            "firing",
            "test",
            "pgvector-ops",
            null,
            now,
            List.of(
                new AlertEntry(
                    0,
                    "firing",
                    "firing",
                    labels,
                    "This is a test notification from pgvector-ops: this channel works.",
                    mapper.createObjectNode(),
                    now,
                    null,
                    "Nothing to do.")));
    List<Map<String, Object>> results = new ArrayList<>();
    for (Channel channel : channels.all()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("channel", channel.id());
      long start = System.nanoTime();
      try {
        channel.send(payload, mapper.writeValueAsString(payload));
        r.put("ok", true);
      } catch (Exception e) {
        r.put("ok", false);
        r.put("error", io.pgvectorops.common.Text.firstLine(String.valueOf(e.getMessage())));
      }
      r.put("millis", (System.nanoTime() - start) / 1_000_000);
      results.add(r);
    }
    return Map.of("idempotencyKey", key, "channels", results);
  }
}
