package io.pgvectorops.jobs;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.state.OpenFindings;
import io.pgvectorops.state.TargetInventory;
import io.pgvectorops.targets.Target;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a run of one kind may use beyond its target connection: the daemon's shared records, the
 * kind's own store, and the contracts it declared it uses, from the kinds that provide them.
 */
public final class JobServices {
  /**
   * What every kind may use of the daemon's own records, as contracts: the target inventory, the
   * open findings, the advisories, and the targets in force by name (for a parameter marked {@link
   * TargetName}).
   */
  public record Shared(
      TargetInventory inventory,
      OpenFindings findings,
      Advisories advisories,
      Function<String, Optional<Target>> targets) {}

  private final Shared shared;
  private final Object own;
  private final Set<Class<?>> declared;
  private final Map<Class<?>, Object> provided;

  JobServices(Shared shared, Object own, Set<Class<?>> declared, Map<Class<?>, Object> provided) {
    this.shared = shared;
    this.own = own;
    this.declared = Set.copyOf(declared);
    this.provided = Map.copyOf(provided);
  }

  public TargetInventory inventory() {
    return shared.inventory();
  }

  public OpenFindings findings() {
    return shared.findings();
  }

  public Advisories advisories() {
    return shared.advisories();
  }

  /**
   * A target in force by name, as a {@link TargetName} parameter names it: empty when a reload
   * removed it since the job files were loaded.
   */
  public Optional<Target> target(String name) {
    return shared.targets().apply(name);
  }

  /** The kind's own store, as its {@code keeps} declared. */
  public <S> S own(Class<S> type) {
    if (!type.isInstance(own)) {
      throw new IllegalStateException("this kind keeps no " + type.getSimpleName());
    }
    return type.cast(own);
  }

  /**
   * A contract this kind declared with {@code uses}, from the kind that provides it; empty when no
   * installed kind does.
   */
  public <T> Optional<T> uses(Class<T> contract) {
    if (!declared.contains(contract)) {
      throw new IllegalStateException(
          "this kind did not declare that it uses " + contract.getSimpleName());
    }
    return Optional.ofNullable(contract.cast(provided.get(contract)));
  }
}
