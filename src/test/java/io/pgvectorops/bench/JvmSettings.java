package io.pgvectorops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** JVM options and environment a benchmark starts the daemon with. */
record JvmSettings(String name, List<String> options, Map<String, String> environment) {

  /**
   * What bin/pgvector-ops and the systemd unit start the daemon with: the options of jvm.options (a
   * java @argument file) and glibc's malloc arenas capped.
   */
  static JvmSettings shipped() throws IOException {
    List<String> options =
        Files.readAllLines(Path.of("jvm.options")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .flatMap(l -> Arrays.stream(l.split("\\s+")))
            .toList();
    return new JvmSettings("shipped", options, Map.of("MALLOC_ARENA_MAX", "2"));
  }

  /** The settings before jvm.options: a 64 MB initial and 512 MB maximum heap, JVM defaults. */
  static JvmSettings before() {
    return new JvmSettings("before", List.of("-Xms64m", "-Xmx512m"), Map.of());
  }
}
