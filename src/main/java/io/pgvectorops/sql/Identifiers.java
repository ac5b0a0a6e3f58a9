package io.pgvectorops.sql;

/**
 * Identifiers spliced into SQL: always quoted, so any name a catalog or a job file holds is safe.
 */
public final class Identifiers {
  private Identifiers() {}

  public static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
