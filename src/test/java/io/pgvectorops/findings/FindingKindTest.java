package io.pgvectorops.findings;

import static io.pgvectorops.findings.Finding.Severity.critical;
import static io.pgvectorops.findings.Finding.Severity.info;
import static io.pgvectorops.findings.Finding.Severity.warning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingKindTest {
  @Test
  void acceptsEveryNameASqlCheckJobFileMayGive() {
    // sql-check allows [a-z0-9][a-z0-9-]{0,62}, and a job named "1-nightly" gives "1-nightly"
    assertThat(FindingKind.of("404-pages", info, critical).name()).isEqualTo("404-pages");
    assertThat(FindingKind.of("1-nightly", info, critical).name()).isEqualTo("1-nightly");
    assertThatThrownBy(() -> FindingKind.of("Upper", info, critical))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FindingKind.of("bloat", critical, info))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFindingComesOnlyInItsKindsSeverities() {
    FindingKind k = FindingKind.of("index-bloat", warning, critical);
    assertThat(Finding.critical("public.i", k, "bloated", Map.of()).kind())
        .isEqualTo("index-bloat");
    assertThatThrownBy(() -> Finding.info("public.i", k, "bloated", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index-bloat is declared warning..critical, not info");
  }

  @Test
  void actionsNameTheObjectTargetAndJob() {
    assertThat(
            FindingKind.fill(
                SharedFindings.INVALID_INDEX.action(), "public.docs_hnsw", "main", "health"))
        .contains("REINDEX INDEX CONCURRENTLY public.docs_hnsw;");
    assertThat(FindingKind.fill(FindingKind.LOOK_AND_RECHECK, "x", "main", null))
        .contains("GET /api/findings?target=main")
        .contains("run <job> --target main");
  }
}
