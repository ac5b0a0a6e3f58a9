package io.pgvectorops.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.state.OpenFindings;
import io.pgvectorops.state.Rows;
import io.pgvectorops.state.TargetInventory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daemon's packages form layers, bottom up; a package may use only those below it, so no
 * package cycle can form. Each job kind is a plug-in: only the registry (kinds/) names one.
 */
class LayersTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.pgvectorops");

  /** Bottom up: each layer may depend on the layers before it in this list, never after. */
  private static final List<String[]> LAYERS =
      List.of(
          new String[] {"common", "io.pgvectorops.common.."},
          new String[] {"config", "io.pgvectorops.config.."},
          new String[] {"sql", "io.pgvectorops.sql.."},
          new String[] {"findings", "io.pgvectorops.findings.."},
          new String[] {"catalog", "io.pgvectorops.catalog.."},
          new String[] {"targets", "io.pgvectorops.targets.."},
          new String[] {"fleet", "io.pgvectorops.fleet.."},
          new String[] {"state", "io.pgvectorops.state.."},
          new String[] {"http contract", "io.pgvectorops.http.."},
          new String[] {"job contract", "io.pgvectorops.jobs"},
          new String[] {"job files", "io.pgvectorops.jobfiles.."},
          new String[] {"job kinds", "io.pgvectorops.jobs.*.."},
          new String[] {"kind registry", "io.pgvectorops.kinds.."},
          new String[] {"scheduler", "io.pgvectorops.scheduler.."},
          new String[] {"alert", "io.pgvectorops.alert.."},
          new String[] {"health checks", "io.pgvectorops.health.."},
          new String[] {"api", "io.pgvectorops.api..", "io.pgvectorops.dashboard.."},
          new String[] {"wiring", "io.pgvectorops.wiring.."},
          new String[] {"cli", "io.pgvectorops.cli.."},
          new String[] {"application", "io.pgvectorops"});

  static ArchRule layers() {
    Architectures.LayeredArchitecture arch =
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String[] layer : LAYERS) {
      arch = arch.layer(layer[0]).definedBy(Arrays.copyOfRange(layer, 1, layer.length));
    }
    for (int i = 0; i < LAYERS.size(); i++) {
      String[] below = LAYERS.subList(0, i).stream().map(l -> l[0]).toArray(String[]::new);
      arch =
          below.length == 0
              ? arch.whereLayer(LAYERS.get(i)[0]).mayNotAccessAnyLayer()
              : arch.whereLayer(LAYERS.get(i)[0]).mayOnlyAccessLayers(below);
    }
    return arch;
  }

  static ArchRule noPackageCycles() {
    return slices().matching("io.pgvectorops.(**)").should().beFreeOfCycles();
  }

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layers().check(MAIN);
  }

  @Test
  void noPackageCycle() {
    noPackageCycles().check(MAIN);
  }

  /**
   * A kind may use another's results only through a contract of the job package that one provides
   * and the other declares it uses (e.g. {@code RecallReadings}); any other dependency between two
   * kinds' packages fails.
   */
  static ArchRule noJobKindNamesAnother(String root) {
    return slices().matching(root + ".jobs.(*)..").should().notDependOnEachOther();
  }

  @Test
  void noJobKindNamesAnother() {
    noJobKindNamesAnother("io.pgvectorops").check(MAIN);
  }

  /** The rule can fail: a kind holding another kind's store is reported. */
  @Test
  void aKindReadingAnothersStoreIsReported() {
    JavaClasses kinds =
        new ClassFileImporter().importPackages("io.pgvectorops.architecture.crosskind");
    var result = noJobKindNamesAnother("io.pgvectorops.architecture.crosskind").evaluate(kinds);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("Rebuild").contains("RecallStore");
  }

  /**
   * A kind's data lives in its own package: of the state package, a kind may use only the contracts
   * {@code JobServices} hands to every kind (the inventory, the open findings) and the helpers to
   * read rows, never a store, so no kind's store can hide in state/ where the rule above would not
   * see another kind reach it.
   */
  @Test
  void aKindUsesNoStoreOfTheStatePackage() {
    noClasses()
        .that()
        .resideInAPackage("io.pgvectorops.jobs.*..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.pgvectorops.state..")
                .and(
                    not(
                        belongToAnyOf(
                            TargetInventory.class,
                            OpenFindings.class,
                            FindingRecord.class,
                            Rows.class))))
        .check(MAIN);
  }

  @Test
  void onlyTheRegistryNamesAJobKind() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.pgvectorops.jobs.*..", "io.pgvectorops.kinds..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.pgvectorops.jobs.*..")
        .check(MAIN);
  }

  /** The rule can fail: two test packages that use each other are reported as a cycle. */
  @Test
  void aPackageCycleIsReported() {
    JavaClasses cyclic =
        new ClassFileImporter().importPackages("io.pgvectorops.architecture.cyclic");
    var result = noPackageCycles().evaluate(cyclic);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString())
        .contains("Cycle detected")
        .contains("cyclic.a")
        .contains("cyclic.b");
  }
}
