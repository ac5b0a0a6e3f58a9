package io.pgvectorops.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.VectorIndex;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobKind;
import io.pgvectorops.kinds.JobKinds;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthFindingsTest {
  /** A job of a registered kind, to check health's view of what the kind declares it needs. */
  private static JobDefinition jobOfKind(String kind) {
    return new JobDefinition(
        kind + "-job",
        JobKind.find(JobKinds.AVAILABLE, kind).orElseThrow(),
        "0 * * * * ?",
        List.of("main"),
        io.pgvectorops.jobs.TargetSelection.EVERY,
        null,
        false,
        null,
        "test",
        null);
  }

  private static Observation observation(
      Map<String, Observation.ExtensionStatus> ext,
      Map<String, Boolean> roles,
      List<Observation.IndexRow> indexes) {
    return new Observation("15.20", 150020, false, "ops", ext, roles, indexes, Map.of());
  }

  private static Map<String, Observation.ExtensionStatus> extensions(
      String vectorInstalled, String vectorAvailable) {
    Map<String, Observation.ExtensionStatus> m = new LinkedHashMap<>();
    m.put("vector", new Observation.ExtensionStatus(vectorInstalled, vectorAvailable, false));
    m.put("pg_stat_statements", new Observation.ExtensionStatus(null, "1.10", false));
    m.put("pg_prewarm", new Observation.ExtensionStatus("1.2", "1.2", true));
    m.put("pg_buffercache", new Observation.ExtensionStatus(null, "1.3", false));
    return m;
  }

  private static Observation.IndexRow index(
      String name, boolean valid, boolean building, boolean canMaintain) {
    VectorIndex v =
        new VectorIndex(
            "public",
            name,
            "docs",
            "embedding",
            "vector(3)",
            3,
            "hnsw",
            "vector_l2_ops",
            Map.of(),
            8192,
            8192,
            10L,
            valid,
            "CREATE INDEX ...",
            Instant.EPOCH,
            null,
            null,
            null,
            null,
            null);
    return new Observation.IndexRow(v, building, canMaintain, true);
  }

  @Test
  void healthyTargetHasNoFindings() {
    var o =
        observation(
            extensions("0.8.0", "0.8.0"),
            Map.of("superuser", false),
            List.of(index("i", true, false, true)));
    assertThat(HealthFindings.of("t", o, "0.8.0", List.of())).isEmpty();
  }

  @Test
  void missingPgvectorSaysHowToInstall() {
    var o = observation(extensions(null, "0.8.0"), Map.of(), List.of());
    List<Finding> f = HealthFindings.of("t", o, "0.8.0", List.of());
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.kind()).isEqualTo("pgvector-missing");
              assertThat(x.severity()).isEqualTo(Finding.Severity.warning);
              assertThat(x.message()).contains("CREATE EXTENSION vector");
            });
    var absent = observation(extensions(null, null), Map.of(), List.of());
    assertThat(HealthFindings.of("t", absent, "0.8.0", List.of()).get(0).message())
        .contains("package");
  }

  @Test
  void oldPgvectorWarnsAndUpgradeAvailableInforms() {
    var o = observation(extensions("0.7.4", "0.8.0"), Map.of(), List.of());
    List<Finding> f = HealthFindings.of("t", o, "0.8.0", List.of());
    assertThat(f)
        .extracting(Finding::kind, Finding::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("pgvector-old", Finding.Severity.warning),
            org.assertj.core.groups.Tuple.tuple(
                "pgvector-upgrade-available", Finding.Severity.info));
    assertThat(Versions.compare("0.10.0", "0.9.9")).isPositive();
  }

  @Test
  void invalidIndexIsCriticalUnlessItsBuildIsRunning() {
    var o =
        observation(
            extensions("0.8.0", "0.8.0"),
            Map.of(),
            List.of(index("broken", false, false, true), index("building", false, true, true)));
    List<Finding> f = HealthFindings.of("t", o, "0.8.0", List.of());
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.object()).isEqualTo("public.broken");
              assertThat(x.kind()).isEqualTo("invalid-index");
              assertThat(x.severity()).isEqualTo(Finding.Severity.critical);
            });
  }

  @Test
  void extensionsAndPrivilegesThatConfiguredJobsNeed() {
    var o =
        observation(
            extensions("0.8.0", "0.8.0"),
            Map.of("pg_monitor", false, "superuser", false),
            List.of(index("i", true, false, false)));
    List<Finding> f =
        HealthFindings.of(
            "t",
            o,
            "0.8.0",
            List.of(jobOfKind("slow-queries"), jobOfKind("prewarm"), jobOfKind("index-rebuild")));
    assertThat(f)
        .extracting(Finding::object, Finding::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("pg_stat_statements", "extension-missing"),
            org.assertj.core.groups.Tuple.tuple("pg_read_all_stats", "privilege-missing"),
            org.assertj.core.groups.Tuple.tuple("pg_buffercache", "extension-missing"),
            org.assertj.core.groups.Tuple.tuple("pg_monitor", "privilege-missing"),
            org.assertj.core.groups.Tuple.tuple("public.i", "privilege-missing"));
    assertThat(f.get(0).message())
        .contains("shared_preload_libraries")
        .contains("CREATE EXTENSION pg_stat_statements");
    assertThat(f).allSatisfy(x -> assertThat(x.severity()).isEqualTo(Finding.Severity.warning));
  }

  @Test
  void superuserHasEveryRole() {
    var o =
        observation(
            extensions("0.8.0", "0.8.0"),
            Map.of("superuser", true),
            List.of(index("i", true, false, true)));
    assertThat(HealthFindings.of("t", o, "0.8.0", List.of(jobOfKind("prewarm"))))
        .extracting(Finding::kind)
        .containsOnly("extension-missing");
  }

  @Test
  void twoJobsLackingTheSameGrantAreBothNamedInItsOneFinding() {
    Observation.IndexRow unreadable =
        new Observation.IndexRow(index("i", true, false, true).index(), false, true, false);
    var o =
        observation(extensions("0.8.0", "0.8.0"), Map.of("superuser", false), List.of(unreadable));
    List<Finding> f =
        HealthFindings.of("t", o, "0.8.0", List.of(jobOfKind("regression"), jobOfKind("prewarm")));
    assertThat(f)
        .filteredOn(x -> x.object().equals("public.docs"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.message())
                  .startsWith(
                      "regression job 'regression-job' and prewarm job 'prewarm-job' cannot read"
                          + " table \"public\".\"docs\"")
                  .endsWith("GRANT SELECT ON \"public\".\"docs\" TO \"ops\";");
              assertThat(x.metrics().get("jobs"))
                  .isEqualTo(List.of("regression-job", "prewarm-job"));
            });
  }

  @Test
  void aPreloadTheRoleCannotSeeIsAGrantToMakeNotAMissingExtension() {
    Map<String, Observation.ExtensionStatus> ext = extensions("0.8.0", "0.8.0");
    ext.put("pg_stat_statements", new Observation.ExtensionStatus("1.10", "1.10", null));
    var o = observation(ext, Map.of("pg_read_all_stats", true), List.of());
    List<Finding> f = HealthFindings.of("t", o, "0.8.0", List.of(jobOfKind("slow-queries")));
    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.kind()).isEqualTo("privilege-missing");
              assertThat(x.object()).isEqualTo("pg_read_all_settings");
              assertThat(x.message())
                  .contains("pg_stat_statements in shared_preload_libraries")
                  .endsWith("GRANT pg_read_all_settings TO \"ops\"; (pg_monitor includes it)");
            });
  }
}
