package io.pgvectorops.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.JobKind;
import org.junit.jupiter.api.Test;

class JobKindsTest {
  @Test
  void kindNamesAreUniqueAndEachDeclaresItsFindings() {
    assertThat(JobKinds.AVAILABLE.stream().map(JobKind::name)).doesNotHaveDuplicates();
    assertThat(JobKinds.AVAILABLE)
        .filteredOn(k -> !k.name().equals("sql-check")) // its kinds are named in job files
        .allSatisfy(k -> assertThat(k.findingKinds()).as(k.name()).isNotEmpty());
    assertThat(JobKinds.findingKinds())
        .containsKeys("target-unreachable", "invalid-index", "index-bloat", "recall-regression");
  }

  @Test
  void everyFindingAKindSaysItFixesIsOneAShippedKindRaises() {
    assertThat(JobKinds.AVAILABLE.stream().flatMap(k -> k.fixes().stream()))
        .isNotEmpty()
        .allSatisfy(name -> assertThat(JobKinds.findingKinds()).containsKey(name));
  }

  @Test
  void anUndeclaredKindGetsTheGeneralAction() {
    assertThat(JobKinds.actionFor("my-check", "row 1", "main", "nightly"))
        .isEqualTo(
            "See GET /api/findings?target=main for the figures; run `bin/pgvector-ops run nightly"
                + " --target main <config.yml>` to re-check.");
    assertThat(JobKinds.actionFor("target-unreachable", "main", "main", "health"))
        .startsWith("Check that PostgreSQL on target main is running");
  }
}
