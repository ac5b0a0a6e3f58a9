package io.pgvectorops.jobs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs loaded from the jobs directory, by name, in file order. */
public class JobCatalog {
  private final Map<String, JobDefinition> byName = new LinkedHashMap<>();

  public JobCatalog(List<JobDefinition> jobs) {
    jobs.forEach(j -> byName.put(j.name(), j));
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
}
