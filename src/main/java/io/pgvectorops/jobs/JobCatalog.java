package io.pgvectorops.jobs;

import io.pgvectorops.config.Reload.Changes;
import io.pgvectorops.config.TargetConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The jobs loaded from the jobs directory, by name, in file order. A reload swaps the whole set at
 * once, so a reader sees the old or the new one, never a mix.
 */
public class JobCatalog {
  private volatile Map<String, JobDefinition> byName;

  public JobCatalog(List<JobDefinition> jobs) {
    this.byName = index(jobs);
  }

  private static Map<String, JobDefinition> index(Collection<JobDefinition> jobs) {
    Map<String, JobDefinition> m = new LinkedHashMap<>();
    jobs.forEach(j -> m.put(j.name(), j));
    return Collections.unmodifiableMap(m);
  }

  public Collection<JobDefinition> all() {
    return byName.values();
  }

  public Optional<JobDefinition> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Jobs that run on the given target. */
  public List<JobDefinition> forTarget(String target) {
    return byName.values().stream().filter(j -> j.targets().contains(target)).toList();
  }

  /**
   * Points every job at the targets its selection picks from {@code fleet} (targets discovered or
   * dropped); the jobs whose targets changed are named as changed.
   */
  public synchronized Changes retarget(List<TargetConfig> fleet) {
    List<JobDefinition> next = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (JobDefinition j : byName.values()) {
      JobDefinition r = j.retargeted(fleet);
      if (!r.targets().equals(j.targets())) {
        changed.add(j.name());
      }
      next.add(r);
    }
    byName = index(next);
    return new Changes(List.of(), changed, List.of());
  }

  /**
   * Replaces every job with those of {@code next} (a reload); says which names changed how.
   *
   * @param form what params are compared by (see {@link JobDefinition#sameAs})
   */
  public synchronized Changes replace(JobCatalog next, Function<Object, ?> form) {
    Map<String, JobDefinition> before = byName;
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (JobDefinition j : next.all()) {
      JobDefinition old = before.get(j.name());
      if (old == null) {
        added.add(j.name());
      } else if (!old.sameAs(j, form)) {
        changed.add(j.name());
      }
    }
    List<String> removed = before.keySet().stream().filter(n -> next.get(n).isEmpty()).toList();
    byName = index(next.all());
    return new Changes(added, changed, removed);
  }
}
