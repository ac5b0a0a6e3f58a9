package io.pgvectorops.jobs;

import io.pgvectorops.state.StateDatabase.OwnTables;
import io.pgvectorops.targets.Targets;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kinds this daemon runs, with the stores of those that keep data, built once on the state
 * database. The chassis (the runner, the API, the metrics) asks this for what the kinds declared
 * instead of naming any kind.
 */
public final class InstalledKinds {
  private final List<JobKind> kinds;
  private final JobServices.Shared shared;
  private final Map<JobKind, Object> stores = new IdentityHashMap<>();
  private final Map<Class<?>, Object> provided = new HashMap<>();

  private InstalledKinds(List<JobKind> kinds, JobServices.Shared shared, StateAccess state) {
    this.kinds = List.copyOf(kinds);
    this.shared = shared;
    for (JobKind kind : kinds) {
      KindData data = kind.data();
      if (data.store() == null) {
        continue;
      }
      Object store = data.store().apply(state);
      stores.put(kind, store);
      for (Class<?> contract : data.provided()) {
        Object earlier = provided.putIfAbsent(contract, store);
        if (earlier != null) {
          throw new IllegalStateException(
              contract.getSimpleName() + " is provided by two kinds; one must own it");
        }
      }
    }
  }

  /** Builds the stores of {@code kinds} (the state schema, with their own tables, exists). */
  public static InstalledKinds open(
      List<JobKind> kinds, JobServices.Shared shared, StateAccess state) {
    return new InstalledKinds(kinds, shared, state);
  }

  /** The kinds' own tables, to migrate with the state schema before {@link #open}. */
  public static List<OwnTables> ownTables(List<JobKind> kinds) {
    return kinds.stream()
        .filter(k -> k.data().migrationsFolder() != null)
        .map(k -> new OwnTables(k.name(), k.data().migrationsFolder()))
        .toList();
  }

  public List<JobKind> kinds() {
    return kinds;
  }

  public JobServices.Shared shared() {
    return shared;
  }

  /** What a run of {@code kind} gets: the shared stores, its own, and the contracts it uses. */
  public JobServices services(JobKind kind) {
    return new JobServices(shared, stores.get(kind), kind.data().used(), used(kind));
  }

  /** A contract as some installed kind provides it; empty when none does. */
  public <T> Optional<T> provided(Class<T> contract) {
    return Optional.ofNullable(contract.cast(provided.get(contract)));
  }

  /** The kinds' API resources, to register with the chassis's. */
  public List<Object> resources(Targets targets, Clock clock) {
    List<Object> out = new ArrayList<>();
    for (JobKind kind : kinds) {
      if (kind.data().resource() != null) {
        ApiContext context = new ApiContext(targets, clock, used(kind));
        out.add(kind.data().resource().apply(stores.get(kind), context));
      }
    }
    return out;
  }

  /** The contracts {@code kind} declared it uses, as the installed kinds provide them. */
  private Map<Class<?>, Object> used(JobKind kind) {
    Map<Class<?>, Object> used = new HashMap<>();
    for (Class<?> contract : kind.data().used()) {
      Object p = provided.get(contract);
      if (p != null) {
        used.put(contract, p);
      }
    }
    return used;
  }

  /** The kinds' own Prometheus collectors. */
  public List<MultiCollector> collectors(Targets targets, Clock clock) {
    List<MultiCollector> out = new ArrayList<>();
    for (JobKind kind : kinds) {
      if (kind.data().metrics() != null) {
        ApiContext context = new ApiContext(targets, clock, used(kind));
        out.add(kind.data().metrics().apply(stores.get(kind), context));
      }
    }
    return out;
  }
}
