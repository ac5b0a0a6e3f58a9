package io.pgvectorops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.config.TargetConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TargetSelectionTest {
  private static TargetConfig target(String name, Map<String, String> labels) {
    TargetConfig t = new TargetConfig();
    t.name = name;
    t.labels = new TreeMap<>(labels);
    return t;
  }

  private final List<TargetConfig> fleet =
      List.of(
          target("a", Map.of("env", "prod", "cluster", "eu-1")),
          target("b", Map.of("env", "prod", "cluster", "us-1")),
          target("c", Map.of("env", "dev")),
          target("d", Map.of()));

  @Test
  void namesSelectorsAndBothCombine() {
    assertThat(TargetSelection.EVERY.resolve(fleet)).containsExactly("a", "b", "c", "d");
    assertThat(new TargetSelection(List.of("env=prod")).resolve(fleet)).containsExactly("a", "b");
    assertThat(new TargetSelection(List.of("env=prod,cluster=us-1")).resolve(fleet))
        .containsExactly("b");
    assertThat(new TargetSelection(List.of("d", "env=dev")).resolve(fleet))
        .containsExactly("c", "d");
    assertThat(new TargetSelection(List.of("env=staging")).resolve(fleet)).isEmpty();
  }
}
