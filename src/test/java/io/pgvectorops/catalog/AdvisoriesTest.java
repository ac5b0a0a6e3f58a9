package io.pgvectorops.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgvectorops.catalog.Advisories.Advisory;
import io.pgvectorops.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped advisories catalogue's own shape, version ranges, and operators' files. */
class AdvisoriesTest {
  @TempDir Path dir;

  @Test
  void theShippedCatalogueIsWellFormed() {
    Advisories shipped = Advisories.shipped();
    assertThat(shipped.pgvector()).hasSizeGreaterThanOrEqualTo(9);
    Set<String> ids = new HashSet<>();
    for (Advisory a : shipped.pgvector()) {
      assertThat(Advisories.problem(a)).as(a.id()).isNull();
      assertThat(ids.add(a.id())).as("unique id " + a.id()).isTrue();
      if (a.introducedIn() != null && a.fixedIn() != null) {
        assertThat(Advisories.compare(a.introducedIn(), a.fixedIn()))
            .as(a.id() + " is introduced before it is fixed")
            .isNegative();
      }
      // the CHANGELOG, or the merged change where the CHANGELOG does not list it yet
      assertThat(a.source()).as(a.id()).containsAnyOf("CHANGELOG", "pull request");
      // a '#' after a space starts a YAML comment: an issue number must survive
      assertThat(a.source()).as(a.id()).doesNotEndWith("issue");
    }
    for (int major = 13; major <= 18; major++) {
      assertThat(shipped.major(major)).as("PostgreSQL " + major).isPresent();
    }
  }

  @Test
  void versionRangesAreCompareNumerically() {
    assertThat(Advisories.compare("0.10.0", "0.9.1")).isPositive();
    assertThat(Advisories.compare("0.8", "0.8.0")).isZero();
    assertThat(Advisories.compare("0.8.0", "0.8.2")).isNegative();
    Advisories shipped = Advisories.shipped();
    assertThat(ids(shipped.affecting(same("0.8.0"))))
        .contains(
            "parallel-hnsw-build-overflow",
            "hnsw-vacuum-corruption",
            "hnsw-vacuum-errors",
            "hnsw-duplicate-neighbours",
            "ivfflat-build-memory")
        .doesNotContain("parallel-hnsw-build-locking", "ivfflat-insert-corruption");
    assertThat(ids(shipped.affecting(same("0.8.6"))))
        .containsExactlyInAnyOrder(
            "vector-storage-extended", "hnsw-duplicate-neighbours", "ivfflat-build-overflow");
    assertThat(ids(shipped.affecting(same("0.8.7")))).containsExactly("vector-storage-extended");
    assertThat(shipped.affecting(same("0.8.1"), Advisories.Affects.PARALLEL_HNSW_BUILD)).hasSize(1);
    assertThat(shipped.affecting(same("0.8.2"), Advisories.Affects.PARALLEL_HNSW_BUILD)).isEmpty();
    assertThat(shipped.affecting(new PgvectorVersions(null, "0.8.0"))).isEmpty();
  }

  /**
   * A package upgrade without ALTER EXTENSION UPDATE: the library's defects follow the library, the
   * SQL objects' entries follow extversion, and the silent damage of the old version is remembered.
   */
  @Test
  void libraryDefectsFollowTheInstalledLibraryAndTheRestExtversion() {
    Advisories shipped = Advisories.shipped();
    PgvectorVersions upgraded = new PgvectorVersions("0.8.0", "0.8.7");
    assertThat(upgraded.of(Advisories.Scope.LIBRARY)).isEqualTo("0.8.7");
    assertThat(upgraded.of(Advisories.Scope.SQL)).isEqualTo("0.8.0");
    assertThat(upgraded.describe()).isEqualTo("0.8.7 (SQL objects 0.8.0)");
    assertThat(ids(shipped.affecting(upgraded))).containsExactly("vector-storage-extended");
    assertThat(
            shipped.pgvector().stream()
                .filter(a -> a.id().equals("vector-storage-extended"))
                .findFirst()
                .orElseThrow()
                .scope())
        .isEqualTo(Advisories.Scope.SQL);
    // a server that does not say which library it has: extversion decides everything
    assertThat(ids(shipped.affecting(new PgvectorVersions("0.8.0", null))))
        .contains("hnsw-vacuum-corruption");
    // the CVE is on the parallel-build entry
    assertThat(
            shipped.pgvector().stream()
                .filter(a -> "CVE-2026-3172".equals(a.cve()))
                .map(Advisory::id))
        .containsExactly("parallel-hnsw-build-overflow");
  }

  private static PgvectorVersions same(String version) {
    return new PgvectorVersions(version, version);
  }

  private static List<String> ids(List<Advisory> advisories) {
    return advisories.stream().map(Advisory::id).toList();
  }

  @Test
  void postgresqlMajorsPastTheirSupport() {
    Advisories shipped = Advisories.shipped();
    LocalDate today = LocalDate.of(2026, 12, 1);
    assertThat(shipped.major(13).orElseThrow().endOfLife()).isBefore(today);
    assertThat(shipped.major(14).orElseThrow().endOfLife()).isBefore(today);
    assertThat(shipped.major(15).orElseThrow().endOfLife()).isAfter(today);
  }

  @Test
  void anOperatorsFileAddsAndReplacesEntries() throws Exception {
    Path own = dir.resolve("ours.yml");
    Files.writeString(
        own,
        """
        pgvector:
          - id: parallel-hnsw-build-overflow
            introducedIn: 0.6.0
            fixedIn: 0.8.0
            affects: parallel-hnsw-build
            exposedWhen: hnsw-indexes
            severity: warning
            summary: backported fix in our build
            action: nothing
            source: our CHANGELOG
          - id: our-hnsw-policy
            fixedIn: 9.0.0
            affects: hnsw-build
            exposedWhen: hnsw-indexes
            severity: info
            summary: our own rule
            action: ask the platform team
            source: wiki
        """);
    Advisories a = Advisories.load(List.of(own));
    assertThat(a.affecting(same("0.8.0"), Advisories.Affects.PARALLEL_HNSW_BUILD)).isEmpty();
    assertThat(ids(a.affecting(same("0.8.0")))).contains("our-hnsw-policy");
  }

  @Test
  void aBadOperatorsFileNamesTheFileAndTheEntry() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        """
        pgvector:
          - id: wrong-severity
            fixedIn: 0.9.0
            affects: hnsw-build
            exposedWhen: hnsw-indexes
            severity: urgent
            summary: s
            action: a
            source: s
        """);
    assertThatThrownBy(() -> Advisories.load(List.of(bad)))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("bad.yml")
        .hasMessageContaining("wrong-severity")
        .hasMessageContaining("severity must be one of");
    Path unknown = dir.resolve("unknown.yml");
    Files.writeString(unknown, "pgvector:\n  - id: x\n    affects: teleport\n");
    assertThatThrownBy(() -> Advisories.load(List.of(unknown)))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("unknown.yml");
  }
}
