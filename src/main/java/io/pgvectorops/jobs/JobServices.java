package io.pgvectorops.jobs;

import io.pgvectorops.catalog.Advisories;
import io.pgvectorops.state.OpenFindings;
import io.pgvectorops.state.TargetInventory;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a run of one kind may use beyond its target connection: the daemon's shared records, the
 * kind's own store, and the contracts it declared it uses, from the kinds that provide them.
 */
public final class JobServices {
  /**
   * What every kind may use of the daemon's own records, as contracts: the target inventory, the
   * open findings, and the advisories.
   */
  public record Shared(TargetInventory inventory, OpenFindings findings, Advisories advisories) {}

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
