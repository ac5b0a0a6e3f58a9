package io.pgvectorops.api.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Presented API tokens that matched none: pgvector_ops_api_auth_failures_total. */
public final class AuthFailures implements Runnable {
  private final Counter counter;

  public AuthFailures(PrometheusRegistry registry) {
    this.counter =
        Counter.builder()
            .name("pgvector_ops_api_auth_failures_total")
            .help("API requests whose bearer token matched none of api.tokens")
            .register(registry);
  }

  @Override
  public void run() {
    counter.inc();
  }
}
