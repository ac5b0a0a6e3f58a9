package io.pgvectorops.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * What a job kind needs on its target, declared by the kind, so health and {@code check} can say
 * what is missing before the job fails.
 *
 * @param extensions extensions it calls; {@code preload} ones also need shared_preload_libraries
 * @param roles predefined roles it needs (pg_monitor, pg_read_all_stats, ...)
 * @param selectsVectorTables it reads the rows of the tables that hold vector indexes
 * @param maintainsVectorIndexes it rebuilds vector indexes (owner of the table, or pg_maintain)
 */
public record Needs(
    List<Extension> extensions,
    List<String> roles,
    boolean selectsVectorTables,
    boolean maintainsVectorIndexes) {
  public record Extension(String name, boolean preload) {}

  public static final Needs NOTHING = new Needs(List.of(), List.of(), false, false);

  public Needs extension(String name) {
    return withExtension(new Extension(name, false));
  }

  public Needs preloadedExtension(String name) {
    return withExtension(new Extension(name, true));
  }

  public Needs role(String role) {
    List<String> more = new ArrayList<>(roles);
    more.add(role);
    return new Needs(extensions, List.copyOf(more), selectsVectorTables, maintainsVectorIndexes);
  }

  public Needs selectOnVectorTables() {
    return new Needs(extensions, roles, true, maintainsVectorIndexes);
  }

  public Needs maintainVectorIndexes() {
    return new Needs(extensions, roles, selectsVectorTables, true);
  }

  private Needs withExtension(Extension e) {
    List<Extension> more = new ArrayList<>(extensions);
    more.add(e);
    return new Needs(List.copyOf(more), roles, selectsVectorTables, maintainsVectorIndexes);
  }
}
