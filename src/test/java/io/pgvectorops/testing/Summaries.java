package io.pgvectorops.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.pgvectorops.scheduler.RunOutcome;
import java.util.Map;

/**
 * Records as the API and {@code run-once} serve them (JSON through the daemon's mapper), so tests
 * assert on the documented shape rather than on Java accessors.
 */
public final class Summaries {
  private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

  private Summaries() {}

  /** A run's summary. */
  public static Map<String, Object> of(RunOutcome o) {
    return json(o.summary());
  }

  /** Any API answer. */
  public static Map<String, Object> json(Object answer) {
    return MAPPER.convertValue(answer, new TypeReference<Map<String, Object>>() {});
  }
}
