package io.pgvectorops.jobs;

import io.pgvectorops.targets.Targets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a kind's API resource and metrics may use besides its own store: the configured targets (to
 * answer 404 for an unknown one), the daemon's clock, and the contracts its kind declared it uses.
 */
public record ApiContext(Targets targets, Clock clock, Map<Class<?>, Object> provided) {
  public ApiContext {
    provided = Map.copyOf(provided);
  }

  /** A contract as an installed kind provides it; empty when none does. */
  public <T> Optional<T> uses(Class<T> contract) {
    return Optional.ofNullable(contract.cast(provided.get(contract)));
  }
}
