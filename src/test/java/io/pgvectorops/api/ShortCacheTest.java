package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgvectorops.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShortCacheTest {
  final SettableClock clock = new SettableClock(Instant.parse("2026-11-24T00:00:00Z"));
  final ShortCache<String> cache = new ShortCache<>(Duration.ofSeconds(1), clock);
  final AtomicInteger computed = new AtomicInteger();

  String next() {
    return "v" + computed.incrementAndGet();
  }

  @Test
  void oneComputationPerSecondPerKey() {
    assertThat(cache.get("a", this::next)).isEqualTo("v1");
    assertThat(cache.get("a", this::next)).isEqualTo("v1");
    assertThat(cache.get("b", this::next)).isEqualTo("v2");
    clock.advance(Duration.ofMillis(999));
    assertThat(cache.get("a", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get("a", this::next)).isEqualTo("v3");
  }

  @Test
  void aFailedComputationIsNotKept() {
    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    () -> {
                      throw new IllegalStateException("state database down");
                    }))
        .hasMessageContaining("down");
    assertThat(cache.get("a", this::next)).isEqualTo("v1");
  }

  @Test
  void whileOneRequestComputesTheOthersGetThePreviousAnswerUnlessItIsTooOld() throws Exception {
    cache.get("a", this::next);
    clock.advance(Duration.ofSeconds(2));
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> slow =
        CompletableFuture.supplyAsync(
            () ->
                cache.get(
                    "a",
                    () -> {
                      computing.countDown();
                      try {
                        release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return next();
                    }));
    assertThat(computing.await(10, TimeUnit.SECONDS)).isTrue();
    // the previous answer, at once, while the next one is computed
    assertThat(cache.get("a", this::next)).isEqualTo("v1");
    // an answer 5 s old is not handed out: the caller waits for the computation in progress
    clock.advance(Duration.ofSeconds(4));
    CompletableFuture<String> waiting =
        CompletableFuture.supplyAsync(() -> cache.get("a", this::next));
    // it keeps waiting as long as the computation does
    org.awaitility.Awaitility.await("the caller to keep waiting")
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !waiting.isDone());
    release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
    // the waiting request then finds v2 older than a second on this clock and computes the next
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isIn("v2", "v3");
  }
}
