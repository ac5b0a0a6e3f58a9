package io.pgvectorops.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One named SQL statement from the {@code sql/} folder, packaged into the jar. Every statement
 * carries a {@code /* pgvector-ops:<name> *}{@code /} tag so a DBA can tell our sessions apart in
 * pg_stat_activity.
 */
public record SqlFile(String name, String text) {
  private static final Map<String, SqlFile> CACHE = new ConcurrentHashMap<>();

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  /**
   * A template's {@code {placeholder}} filled with SQL text the caller built from quoted
   * identifiers (object names, conditions); values always travel as parameters instead.
   */
  public SqlFile with(String placeholder, String sql) {
    String mark = "{" + placeholder + "}";
    if (!text.contains(mark)) {
      throw new IllegalArgumentException("sql/" + name + ".sql has no placeholder " + mark);
    }
    return fill(Map.of(placeholder, sql));
  }

  /**
   * The placeholders this file has, filled from {@code values} (a family of templates shares one
   * set of values; each takes the ones it uses). Those it has and {@code values} lacks stay.
   */
  public SqlFile fill(Map<String, String> values) {
    // one pass: text put in (an operator's filter with braces of its own) is never filled again
    return new SqlFile(
        name,
        PLACEHOLDER
            .matcher(text)
            .replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group()))));
  }

  /**
   * The same statement under EXPLAIN with these options ("(FORMAT JSON)", or "" for text), put
   * after the tag line so the session still shows which statement it is.
   */
  public SqlFile explained(String options) {
    int tagEnd = text.indexOf('\n') + 1;
    return new SqlFile(
        name, text.substring(0, tagEnd) + "EXPLAIN " + options + "\n" + text.substring(tagEnd));
  }

  /**
   * This query as {@code COPY (…) TO STDOUT}, its rows streamed to the caller: inside the
   * parentheses, without the file's closing semicolon.
   */
  public SqlFile copiedOut() {
    String body = text.strip();
    if (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1);
    }
    int tagEnd = body.indexOf('\n') + 1;
    return new SqlFile(
        name, body.substring(0, tagEnd) + "COPY (\n" + body.substring(tagEnd) + "\n) TO STDOUT");
  }

  /** The statement as an operator would type it: without the tag and the header comments. */
  public String statement() {
    return text.lines()
        .filter(l -> !l.startsWith("--") && !l.startsWith("/* pgvector-ops:"))
        .collect(Collectors.joining("\n"))
        .strip();
  }

  /** The placeholders not yet filled: a statement is ready to run when there are none. */
  public Set<String> placeholders() {
    Set<String> out = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text.replaceAll("(?s)/\\*.*?\\*/|--[^\\n]*", ""));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * @param name path under sql/ without extension, e.g. {@code probes/vector_indexes}
   */
  public static SqlFile load(String name) {
    return CACHE.computeIfAbsent(name, SqlFile::read);
  }

  /**
   * A statement that is not a file (an operator's query in a sql-check job), tagged like the files.
   */
  public static SqlFile tagged(String name, String body) {
    return new SqlFile(name, "/* pgvector-ops:" + name.replace("*/", "") + " */\n" + body);
  }

  private static SqlFile read(String name) {
    String resource = "sql/" + name + ".sql";
    try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("SQL file missing from the build: " + resource);
      }
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (body.endsWith(";")) {
        body = body.substring(0, body.length() - 1);
      }
      return tagged(name, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
