package io.pgvectorops.jobs;

import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a kind keeps in the state database and shows of it, as its {@link JobKind} declares: the
 * store's type and how to build it, the folder of its own migrations, its API resource, its
 * metrics, and the contracts it provides and uses. Every part is optional; a kind without data has
 * {@link #NONE}.
 */
public record KindData(
    Class<?> storeType,
    Function<StateAccess, ?> store,
    String migrationsFolder,
    BiFunction<Object, ApiContext, Object> resource,
    BiFunction<Object, ApiContext, MultiCollector> metrics,
    List<Class<?>> provided,
    Set<Class<?>> used) {
  public static final KindData NONE =
      new KindData(null, null, null, null, null, List.of(), Set.of());

  public KindData {
    provided = List.copyOf(provided);
    used = Set.copyOf(used);
  }

  <S> KindData withStore(Class<S> type, Function<StateAccess, S> factory) {
    return new KindData(type, factory, migrationsFolder, resource, metrics, provided, used);
  }

  KindData withTables(String folder) {
    return new KindData(storeType, store, folder, resource, metrics, provided, used);
  }

  @SuppressWarnings("unchecked")
  <S> KindData withResource(BiFunction<S, ApiContext, Object> r) {
    return new KindData(
        storeType,
        store,
        migrationsFolder,
        (BiFunction<Object, ApiContext, Object>) (BiFunction<?, ApiContext, Object>) r,
        metrics,
        provided,
        used);
  }

  @SuppressWarnings("unchecked")
  <S> KindData withMetrics(BiFunction<S, ApiContext, MultiCollector> m) {
    return new KindData(
        storeType,
        store,
        migrationsFolder,
        resource,
        (BiFunction<Object, ApiContext, MultiCollector>)
            (BiFunction<?, ApiContext, MultiCollector>) m,
        provided,
        used);
  }

  KindData withProvided(Class<?> contract) {
    List<Class<?>> more = new ArrayList<>(provided);
    more.add(contract);
    return new KindData(storeType, store, migrationsFolder, resource, metrics, more, used);
  }

  KindData withUsed(Set<Class<?>> contracts) {
    return new KindData(storeType, store, migrationsFolder, resource, metrics, provided, contracts);
  }

  /** A declaration that cannot work fails when the kind's constant is built, not at a run. */
  void check(String kind) {
    boolean needsStore = resource != null || metrics != null || !provided.isEmpty();
    if (needsStore && store == null) {
      throw new IllegalStateException(
          "kind " + kind + " declares an API, metrics or a contract but keeps no store");
    }
    for (Class<?> contract : provided) {
      if (!contract.isInterface() || !contract.isAssignableFrom(storeType)) {
        throw new IllegalStateException(
            "kind "
                + kind
                + " provides "
                + contract.getSimpleName()
                + ", which its store "
                + storeType.getSimpleName()
                + " does not implement");
      }
    }
  }
}
