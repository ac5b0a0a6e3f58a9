package io.pgvectorops.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgvectorops.sql.Identifiers;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How database objects are named: for people (findings, the API) and for SQL (quoted). One home, so
 * every job kind names an index or a table the same way.
 */
public final class ObjectNames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectNames() {}

  /** schema.name as shown in findings and the API (not quoted: for people, not for SQL). */
  public static String qualified(String schema, String name) {
    return schema + "." + name;
  }

  /** A job file's "schema.table" (or "table", in public) quoted for SQL. */
  public static String quotedTable(String table) {
    int dot = table.indexOf('.');
    return dot < 0
        ? Identifiers.quote("public") + "." + Identifiers.quote(table)
        : Identifiers.quote(table.substring(0, dot))
            + "."
            + Identifiers.quote(table.substring(dot + 1));
  }

  /** An index's reloptions as the catalog queries return them: ["m=16","ef_construction=64"]. */
  public static Map<String, String> options(String json) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String kv : JSON.readValue(json, new TypeReference<List<String>>() {})) {
        int eq = kv.indexOf('=');
        out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
      }
    } catch (IOException e) {
      throw new SQLException("unreadable reloptions " + json, e);
    }
    return out;
  }
}
