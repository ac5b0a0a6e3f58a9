package io.pgvectorops.api.metrics;

import io.pgvectorops.api.ShortCache;
import io.pgvectorops.sql.DbException;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kind's own series as the chassis serves them: read at most once per {@link
 * StateCollector#MAX_AGE} however often Prometheus scrapes, and left out (not failing the scrape)
 * while the state database does not answer; {@code pgvector_ops_state_database_up} says so.
 */
public final class KindCollector implements MultiCollector {
  private static final Logger LOG = LoggerFactory.getLogger(KindCollector.class);

  private final MultiCollector kind;
  private final ShortCache<MetricSnapshots> cache;

  KindCollector(MultiCollector kind, Clock clock) {
    this.kind = kind;
    this.cache = new ShortCache<>(StateCollector.MAX_AGE, clock);
  }

  /** Each of the kinds' collectors, guarded. */
  public static void registerAll(
      Iterable<MultiCollector> kinds, PrometheusRegistry registry, Clock clock) {
    kinds.forEach(k -> registry.register(new KindCollector(k, clock)));
  }

  @Override
  public MetricSnapshots collect() {
    return cache.get("", this::read);
  }

  private MetricSnapshots read() {
    try {
      return kind.collect();
    } catch (DbException e) {
      LOG.debug("metrics: a kind's series could not be read: {}", e.getMessage());
      return MetricSnapshots.builder().build();
    }
  }
}
