package io.pgvectorops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Answers that many clients poll (the status page, dashboards, scrapers) are computed at most once
 * per {@code ttl} per key, however many ask at once. When an answer is older than that, one request
 * computes the next while the others get the previous one at once (a computation that waits on a
 * busy state database then delays one request, not all of them); only the very first answer is
 * waited for by everyone. The state database sees a few queries a second, not one set per request.
 * A computation that throws is not kept: the next request tries again.
 */
public final class ShortCache<T> {
  private record Entry<T>(T value, Instant at) {}

  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public ShortCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  public T get(String key, Supplier<T> compute) {
    Entry<T> e = entries.get(key);
    if (fresh(e)) {
      return e.value();
    }
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    // another request is computing the next answer: take the previous one, unless it is so old that
    // the
    // computation is evidently failing (state database down): then wait and answer as that request
    // does
    boolean usable =
        e != null && Duration.between(e.at(), clock.instant()).compareTo(ttl.multipliedBy(5)) < 0;
    if (usable && !lock.tryLock()) {
      return e.value();
    }
    if (!lock.isHeldByCurrentThread()) {
      lock.lock();
    }
    try {
      e = entries.get(key);
      if (fresh(e)) {
        return e.value();
      }
      T value = compute.get();
      entries.put(key, new Entry<>(value, clock.instant()));
      return value;
    } finally {
      lock.unlock();
    }
  }

  /** The JSON of a value, as Jersey would write it with the application's mapper. */
  static byte[] json(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean fresh(Entry<T> e) {
    return e != null && Duration.between(e.at(), clock.instant()).compareTo(ttl) < 0;
  }
}
