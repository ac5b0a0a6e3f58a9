package io.pgvectorops.catalog;

/**
 * The two versions of pgvector a database has. The code that builds, vacuums and scans indexes is
 * the server's installed library, whose version is the control file's default_version
 * (pg_available_extensions); the types, functions and operators are the database's SQL objects,
 * whose version is pg_extension.extversion and stays old until ALTER EXTENSION vector UPDATE. A
 * package upgrade leaves a newer library under older SQL objects; the reverse does not happen.
 *
 * @param sql extversion, or null where the extension is not created in this database
 * @param library default_version of the installed package, or null where the server does not say
 */
public record PgvectorVersions(String sql, String library) {
  /** Where the extension is not created, nothing of pgvector runs in this database. */
  public boolean installed() {
    return sql != null;
  }

  /** The version an advisory of this scope is decided by (the SQL objects' when unknown). */
  public String of(Advisories.Scope scope) {
    if (!installed()) {
      return null;
    }
    return scope == Advisories.Scope.LIBRARY && library != null ? library : sql;
  }

  /** "0.8.7", or "0.8.7 (SQL objects 0.8.0)" where the two differ. */
  public String describe() {
    return library == null || library.equals(sql)
        ? String.valueOf(sql)
        : library + " (SQL objects " + sql + ")";
  }
}
