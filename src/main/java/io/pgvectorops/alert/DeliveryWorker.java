package io.pgvectorops.alert;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.pgvectorops.common.Text;
import io.pgvectorops.common.Threads;
import io.pgvectorops.config.AlertsConfig;
import io.pgvectorops.sql.DbException;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.sql.SqlFile;
import io.pgvectorops.state.Rows;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Each due delivery is locked (FOR UPDATE SKIP LOCKED) for as long as it is
 * being sent, so instances of a cluster never send one at the same time; a failure is retried with
 * exponential backoff and jitter until maxDeliveryAge, then the delivery is dead. Pending
 * deliveries survive a restart: they are rows, not memory.
 */
public class DeliveryWorker implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int MAX_PER_TICK = 100;

  private record Due(
      long id, String channel, int attempts, Instant createdAt, String payload, String key) {}

  private final AlertStore store;
  private final AlertEngine engine;
  private final Channels channels;
  private final AlertsConfig config;
  private final Clock clock;
  private final MetricRegistry metrics;
  private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public DeliveryWorker(
      AlertStore store,
      AlertEngine engine,
      Channels channels,
      AlertsConfig config,
      Clock clock,
      MetricRegistry metrics) {
    this.store = store;
    this.engine = engine;
    this.channels = channels;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    for (String id : channels.ids()) {
      AtomicLong gauge = new AtomicLong();
      pending.put(id, gauge);
      metrics.gauge(name(id, "pending"), () -> gauge::get);
    }
  }

  private static String name(String channel, String what) {
    return MetricRegistry.name("alerts", "deliveries", channel.replace(':', '_'), what);
  }

  @Override
  public void start() {
    timer = Executors.newSingleThreadScheduledExecutor(Threads.named("alert-delivery"));
    long every = Math.max(10, config.pollInterval.toMilliseconds());
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    engine.onNotification(this::wake);
  }

  /** Delivers now rather than at the next poll: this process has just written a notification. */
  public void wake() {
    ScheduledExecutorService t = timer;
    if (t != null && !t.isShutdown()) {
      try {
        t.execute(this::tick);
      } catch (RejectedExecutionException stopping) {
        // shutting down; the outbox keeps it for the next start
      }
    }
  }

  @Override
  public void stop() throws InterruptedException {
    engine.onNotification(() -> {});
    if (timer != null) {
      timer.shutdown();
      timer.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** One pass: resolve held alerts, send what is due, refresh the pending gauges. Never throws. */
  public void tick() {
    try {
      engine.resolveHeld();
      for (int i = 0; i < MAX_PER_TICK && deliverOne(); i++) {
        // keep going while deliveries are due
      }
      Map<String, Map<String, Long>> counts = store.deliveryCounts();
      pending.forEach(
          (id, gauge) -> gauge.set(counts.getOrDefault(id, Map.of()).getOrDefault("pending", 0L)));
    } catch (DbException e) {
      LOG.warn("alert delivery - state database: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("alert delivery failed unexpectedly", e);
    }
  }

  /**
   * @return whether a delivery was due (and attempted)
   */
  boolean deliverOne() {
    Instant now = clock.instant();
    Jdbc jdbc = store.jdbc();
    return jdbc.inTransaction(
        c -> {
          var rows =
              jdbc.query(c, SqlFile.load("store/delivery_next_due"), DeliveryWorker::due, now);
          if (rows.isEmpty()) {
            return false;
          }
          Due d = rows.get(0);
          Channel channel = channels.get(d.channel()).orElse(null);
          String error =
              channel == null
                  ? "channel " + d.channel() + " is no longer configured"
                  : send(c, channel, d);
          if (error != null) {
            failed(c, d, channel == null, error, now);
          }
          return true;
        });
  }

  private static Due due(ResultSet rs) throws SQLException {
    return new Due(
        rs.getLong("id"),
        rs.getString("channel"),
        rs.getInt("attempts"),
        Rows.instant(rs, "created_at"),
        rs.getString("payload"),
        rs.getString("idempotency_key"));
  }

  /** Sends one delivery and marks it delivered; why it failed, or null. */
  private String send(Connection c, Channel channel, Due d) {
    try {
      NotificationPayload payload =
          store.mapper().readValue(d.payload(), NotificationPayload.class);
      channel.send(payload, d.payload());
      store.jdbc().update(c, SqlFile.load("store/delivery_delivered"), clock.instant(), d.id());
      metrics.counter(name(d.channel(), "sent")).inc();
      LOG.info(
          "alert delivery - {} delivered notification {} (attempt {})",
          d.channel(),
          d.key(),
          d.attempts() + 1);
      return null;
    } catch (Exception e) {
      return describe(e);
    }
  }

  /** A failed attempt: retried with backoff, or dead once past maxAge (or its channel gone). */
  private void failed(Connection c, Due d, boolean channelGone, String error, Instant now) {
    Jdbc jdbc = store.jdbc();
    metrics.counter(name(d.channel(), "failed")).inc();
    Instant next = now.plus(backoff(d.attempts()));
    if (channelGone || !Duration.between(d.createdAt(), next).minus(maxAge()).isNegative()) {
      jdbc.update(c, SqlFile.load("store/delivery_dead"), error, d.id());
      metrics.counter(name(d.channel(), "dead")).inc();
      LOG.error(
          "alert delivery - {} gave up on notification {} after {} attempt(s): {}",
          d.channel(),
          d.key(),
          d.attempts() + 1,
          error);
    } else {
      jdbc.update(c, SqlFile.load("store/delivery_retry"), next, error, d.id());
      LOG.warn(
          "alert delivery - {} failed for notification {} (attempt {}), retry at {}: {}",
          d.channel(),
          d.key(),
          d.attempts() + 1,
          next,
          error);
    }
  }

  /** retryInitial * 2^attempts, capped at retryMax, times a jitter in [0.5, 1.5). */
  Duration backoff(int attempts) {
    double base = config.retryInitial.toMilliseconds() * Math.pow(2, Math.min(attempts, 30));
    double capped = Math.min(base, config.retryMax.toMilliseconds());
    return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble())));
  }

  private Duration maxAge() {
    return Duration.ofMillis(config.maxDeliveryAge.toMilliseconds());
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String bottom = root == e || root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
    return Text.firstLine(top + bottom);
  }
}
