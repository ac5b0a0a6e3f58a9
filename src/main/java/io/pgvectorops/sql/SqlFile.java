package io.pgvectorops.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One named SQL statement from the {@code sql/} folder, packaged into the jar. Every statement
 * carries a {@code /* pgvector-ops:<name> *}{@code /} tag so a DBA can tell our sessions apart in
 * pg_stat_activity.
 */
public record SqlFile(String name, String text) {
  private static final Map<String, SqlFile> CACHE = new ConcurrentHashMap<>();

  /** A template's {after_key} placeholder filled (tiering batches). */
  public SqlFile withAfterKey(String clause) {
    return new SqlFile(name, text.replace("{after_key}", clause));
  }

  /**
   * @param name path under sql/ without extension, e.g. {@code probes/vector_indexes}
   */
  public static SqlFile load(String name) {
    return CACHE.computeIfAbsent(name, SqlFile::read);
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
      return new SqlFile(name, "/* pgvector-ops:" + name + " */\n" + body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
