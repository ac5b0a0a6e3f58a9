package io.pgvectorops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the docs mark a command DemoTest runs, and how its expectations judge an output. */
class RunnableDocsTest {
  @TempDir Path dir;

  @Test
  void aDemoBlockInAListItemIsFoundWithEveryExpectationUnderIt() throws Exception {
    Path md = dir.resolve("doc.md");
    Files.writeString(
        md,
        String.join(
            "\n",
            "1. Try:",
            "   ```sh demo",
            "   curl -s 127.0.0.1:8080/api/status",
            "   ```",
            "   <!-- expect: exit 0 -->",
            "   <!-- expect: json /targets/0/name -->",
            "   then read.",
            "```sh",
            "not run: no demo marker",
            "```",
            "```sh demo",
            "echo '{\"a\": [1]}'",
            "```",
            "<!-- expect: contains \"a\": -->",
            ""));
    List<RunnableDocs.Block> blocks = RunnableDocs.of(md);
    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).where()).as("the opening fence's line").endsWith("doc.md:2");
    assertThat(blocks.get(0).command()).isEqualTo("   curl -s 127.0.0.1:8080/api/status\n");
    assertThat(blocks.get(0).expectations())
        .containsExactly(
            new RunnableDocs.Expectation("exit", "0"),
            new RunnableDocs.Expectation("json", "/targets/0/name"));
    assertThat(blocks.get(1).expectations())
        .containsExactly(new RunnableDocs.Expectation("contains", "\"a\":"));
  }

  @Test
  void eachExpectationJudgesTheOutput() {
    String out = "{\"targets\": [{\"name\": \"sandbox\", \"error\": null}]}";
    assertThat(new RunnableDocs.Expectation("exit", "0").check(0, out)).isNull();
    assertThat(new RunnableDocs.Expectation("exit", "0").check(1, out)).isEqualTo("exit code 1");
    assertThat(new RunnableDocs.Expectation("json", "/targets/0/name").check(0, out)).isNull();
    assertThat(new RunnableDocs.Expectation("json", "/targets/0/error").check(0, out))
        .isEqualTo("nothing at /targets/0/error");
    assertThat(new RunnableDocs.Expectation("json", "/x").check(0, "<html>"))
        .startsWith("not JSON");
    assertThat(new RunnableDocs.Expectation("contains", "sandbox").check(0, out)).isNull();
    assertThat(new RunnableDocs.Expectation("contains", "prod").check(0, out)).isNotNull();
  }

  /** DemoTest runs these; here only that each says what it must show. */
  @Test
  void everyTourBlockOfTheReadmeHasAnExpectation() throws Exception {
    List<RunnableDocs.Block> blocks = RunnableDocs.of(Path.of("README.md"));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    assertThat(blocks).allSatisfy(b -> assertThat(b.expectations()).as(b.where()).isNotEmpty());
  }
}
