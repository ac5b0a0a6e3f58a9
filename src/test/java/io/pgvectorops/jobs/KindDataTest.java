package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgvectorops.catalog.Advisories;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A kind's data declaration fails when the constant is built, not at a run or a request. */
class KindDataTest {
  /** A contract a store may provide. */
  interface Counts {
    long count();
  }

  /** A store that provides it. */
  static final class CountingStore implements Counts {
    CountingStore(StateAccess state) {}

    @Override
    public long count() {
      return 3;
    }
  }

  /** A store that does not. */
  static final class PlainStore {
    PlainStore(StateAccess state) {}
  }

  private static JobKind.Builder<Object> kind(String name) {
    return JobKind.named(name, Object.class, (d, p, s) -> null);
  }

  @Test
  void aContractTheStoreDoesNotImplementIsRefused() {
    assertThatThrownBy(
            () ->
                kind("bad").keeps(PlainStore.class, PlainStore::new).provides(Counts.class).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kind bad provides Counts, which its store PlainStore does not");
  }

  @Test
  void anApiWithoutAStoreIsRefused() {
    assertThatThrownBy(() -> kind("bare").answers((Object s, ApiContext a) -> new Object()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keeps no store");
  }

  @Test
  void aRunGetsItsOwnStoreAndOnlyTheContractsItDeclared() {
    JobKind provider =
        kind("provider")
            .keeps(CountingStore.class, CountingStore::new)
            .provides(Counts.class)
            .build();
    JobKind user = kind("user").uses(Counts.class).build();
    JobKind other = kind("other").build();
    InstalledKinds installed =
        InstalledKinds.open(
            List.of(provider, user, other),
            new JobServices.Shared(null, null, Advisories.shipped(), name -> Optional.empty()),
            new StateAccess(null, null, null));

    assertThat(installed.services(provider).own(CountingStore.class).count()).isEqualTo(3);
    assertThat(installed.services(user).uses(Counts.class).map(Counts::count)).contains(3L);
    assertThatThrownBy(() -> installed.services(other).uses(Counts.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not declare that it uses Counts");
    assertThatThrownBy(() -> installed.services(user).own(CountingStore.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keeps no CountingStore");
    // without the provider the contract is absent, not an error
    InstalledKinds alone =
        InstalledKinds.open(
            List.of(user),
            new JobServices.Shared(null, null, Advisories.shipped(), name -> Optional.empty()),
            new StateAccess(null, null, null));
    assertThat(alone.services(user).uses(Counts.class)).isEqualTo(Optional.empty());
    assertThat(alone.provided(Counts.class)).isEmpty();
  }
}
