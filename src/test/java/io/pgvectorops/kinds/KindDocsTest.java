package io.pgvectorops.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.FindingKind;
import io.pgvectorops.jobs.JobKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The docs keep up with the registered job kinds: each has its page under docs/jobs and a row in
 * the grants table of docs/operations.md, and each finding kind a job can raise is named in the
 * docs (operators silence and route alerts by kind).
 */
class KindDocsTest {
  @Test
  void everyKindHasItsPageAndItsGrantsRow() throws Exception {
    String operations = Files.readString(Path.of("docs/operations.md"));
    for (JobKind k : JobKinds.AVAILABLE) {
      assertThat(Path.of("docs/jobs", k.name() + ".md")).as(k.name()).exists();
      assertThat(operations)
          .as("grants table row of " + k.name())
          .contains("| `" + k.name() + "` |");
    }
  }

  /** The row of each kind names every extension and predefined role the kind declares it needs. */
  @Test
  void theGrantsTableSaysWhatEachKindDeclaresItNeeds() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("docs/operations.md"));
    List<String> unsaid = new ArrayList<>();
    for (JobKind k : JobKinds.AVAILABLE) {
      String row =
          rows.stream().filter(l -> l.startsWith("| `" + k.name() + "` |")).findFirst().orElse("");
      List<String> needed = new ArrayList<>(k.needs().roles());
      k.needs().extensions().stream()
          .filter(e -> !e.name().equals("vector"))
          .forEach(e -> needed.add(e.name()));
      for (String n : needed) {
        if (!row.contains("`" + n + "`")) {
          unsaid.add(k.name() + " needs " + n);
        }
      }
      if (k.needs().selectsVectorTables() && !row.contains("SELECT")) {
        unsaid.add(k.name() + " needs SELECT on the tables");
      }
      if (k.needs().maintainsVectorIndexes() && !row.contains("pg_maintain")) {
        unsaid.add(k.name() + " needs ownership or pg_maintain");
      }
    }
    assertThat(unsaid).as("needs the grants table does not say").isEmpty();
  }

  @Test
  void everyFindingKindIsNamedInTheDocs() throws Exception {
    StringBuilder docs = new StringBuilder();
    try (var files = Files.walk(Path.of("docs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).toList()) {
        docs.append(Files.readString(f));
      }
    }
    List<String> unnamed = new ArrayList<>();
    for (JobKind k : JobKinds.AVAILABLE) {
      for (FindingKind f : k.findingKinds()) {
        if (!docs.toString().contains("`" + f.name() + "`")) {
          unnamed.add(k.name() + ": " + f.name());
        }
      }
    }
    assertThat(unnamed).as("finding kinds no doc names").isEmpty();
  }
}
