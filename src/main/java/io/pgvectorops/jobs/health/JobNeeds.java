package io.pgvectorops.jobs.health;

import java.util.List;
import java.util.Map;

/**
 * What each job kind needs on its target, so health can say what is missing before the job fails.
 * Extensions with preload = true also need shared_preload_libraries.
 */
final class JobNeeds {
  record Extension(String name, boolean preload) {}

  record Needs(List<Extension> extensions, List<String> roles) {}

  static final Map<String, Needs> BY_KIND =
      Map.of(
          "health", new Needs(List.of(), List.of()),
          "bloat", new Needs(List.of(new Extension("vector", false)), List.of()),
          "slow-queries",
              new Needs(
                  List.of(new Extension("pg_stat_statements", true)), List.of("pg_read_all_stats")),
          "index-rebuild", new Needs(List.of(new Extension("vector", false)), List.of()),
          "prewarm",
              new Needs(
                  List.of(
                      new Extension("pg_prewarm", false), new Extension("pg_buffercache", false)),
                  List.of("pg_monitor")),
          "tiering", new Needs(List.of(new Extension("vector", false)), List.of()),
          "regression", new Needs(List.of(new Extension("vector", false)), List.of()),
          "sql-check", new Needs(List.of(), List.of()));

  private JobNeeds() {}

  static Needs of(String kind) {
    return BY_KIND.getOrDefault(kind, new Needs(List.of(), List.of()));
  }
}
