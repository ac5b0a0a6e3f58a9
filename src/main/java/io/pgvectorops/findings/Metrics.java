package io.pgvectorops.findings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures behind a finding's message, in the order an operator reads them. Values are numbers,
 * text, flags or short lists of records, so every channel (email, webhook, API) can show them.
 */
public final class Metrics {
  private final Map<String, Object> values = new LinkedHashMap<>();

  public static Metrics of() {
    return new Metrics();
  }

  public Metrics put(String name, Number value) {
    values.put(name, value);
    return this;
  }

  public Metrics put(String name, String value) {
    values.put(name, value);
    return this;
  }

  public Metrics put(String name, Boolean value) {
    values.put(name, value);
    return this;
  }

  /** A short list of records (each shown as an object), e.g. the statements behind a scan. */
  public Metrics put(String name, List<? extends Record> value) {
    values.put(name, List.copyOf(value));
    return this;
  }

  /** Settings by name, e.g. {"hnsw.ef_search": "40"}. */
  public Metrics put(String name, Map<String, String> settings) {
    values.put(name, settings == null ? null : Map.copyOf(settings));
    return this;
  }

  /** A copy to add a finding's own figures to shared ones. */
  public Metrics copy() {
    return Metrics.of().putAll(this);
  }

  public Metrics putAll(Metrics other) {
    values.putAll(other.values);
    return this;
  }

  /** The map a {@link Finding} carries (nulls kept: "never vacuumed" is a fact too). */
  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(values);
  }
}
