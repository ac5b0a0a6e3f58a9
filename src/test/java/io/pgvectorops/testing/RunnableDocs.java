package io.pgvectorops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command blocks of the docs that a test runs against the demo: a fenced block whose info
 * string is {@code sh demo}, followed by one or more {@code <!-- expect: … -->} lines saying what
 * its output must show. A claim in such a block that stops being true fails the build.
 *
 * <ul>
 *   <li>{@code <!-- expect: exit N -->}: the exit code
 *   <li>{@code <!-- expect: contains TEXT -->}: standard output contains TEXT
 *   <li>{@code <!-- expect: json /a/0/b -->}: standard output is JSON (or starts with a pretty-
 *       printed JSON document) and has a non-null value at that JSON Pointer
 * </ul>
 */
public final class RunnableDocs {
  private static final Pattern FENCE = Pattern.compile("^\\s*```(\\S*)\\s*(\\S*)\\s*$");
  private static final Pattern EXPECT = Pattern.compile("^\\s*<!-- expect: (\\S+) ?(.*?) -->\\s*$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunnableDocs() {}

  /** What a block's output must show. */
  public record Expectation(String kind, String argument) {
    /** Null when the output shows it; otherwise what it shows instead. */
    public String check(int exitCode, String stdout) {
      switch (kind) {
        case "exit":
          return exitCode == Integer.parseInt(argument) ? null : "exit code " + exitCode;
        case "contains":
          return stdout.contains(argument) ? null : "no '" + argument + "' in the output";
        case "json":
          try {
            JsonNode at = JSON.readTree(stdout).at(argument);
            return at.isMissingNode() || at.isNull() ? "nothing at " + argument : null;
          } catch (IOException e) {
            return "not JSON: " + e.getMessage();
          }
        default:
          return "unknown expectation '" + kind + "'";
      }
    }
  }

  /**
   * A runnable block: its file and the line of its opening fence, its command, what it must show.
   */
  public record Block(String where, String command, List<Expectation> expectations) {}

  public static List<Block> of(Path markdown) throws IOException {
    List<String> lines = Files.readAllLines(markdown);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches() || !open.group(1).equals("sh") || !open.group(2).equals("demo")) {
        continue;
      }
      int start = i + 1;
      StringBuilder command = new StringBuilder();
      for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
        command.append(lines.get(i)).append('\n');
      }
      List<Expectation> expectations = new ArrayList<>();
      for (int j = i + 1; j < lines.size(); j++) {
        Matcher e = EXPECT.matcher(lines.get(j));
        if (!e.matches()) {
          break;
        }
        expectations.add(new Expectation(e.group(1), e.group(2)));
      }
      out.add(new Block(markdown + ":" + start, command.toString(), List.copyOf(expectations)));
    }
    return out;
  }
}
