package io.pgvectorops.jobs.slowqueries;

import java.util.regex.Pattern;

/**
 * Recognises vector similarity queries in normalised statement text. pgvector's distance functions
 * are unambiguous; its operators are shared with PostGIS, pg_trgm and cube ({@code <->}, {@code
 * <#>}, {@code <=>}), so an operator counts only in a query that also orders its result (a KNN
 * search does: ORDER BY distance LIMIT k).
 */
final class VectorQueries {
  private static final Pattern FUNCTIONS =
      Pattern.compile(
          "\\b(l2_distance|cosine_distance|inner_product|l1_distance|hamming_distance|jaccard_distance)\\s*\\(",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern OPERATORS = Pattern.compile("<->|<=>|<#>|<\\+>|<~>|<%>");
  private static final Pattern ORDER_BY =
      Pattern.compile("\\border\\s+by\\b", Pattern.CASE_INSENSITIVE);

  private VectorQueries() {}

  static boolean isVector(String query) {
    if (query == null) {
      return false;
    }
    return FUNCTIONS.matcher(query).find()
        || (OPERATORS.matcher(query).find() && ORDER_BY.matcher(query).find());
  }

  /**
   * Whether the statement names the table (bare or quoted), for "likely statements" of a seq scan.
   */
  static boolean mentions(String query, String table) {
    if (query == null) {
      return false;
    }
    String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
    return query.contains(quoted)
        || Pattern.compile(
                "(?<![A-Za-z0-9_$])" + Pattern.quote(table) + "(?![A-Za-z0-9_$])",
                Pattern.CASE_INSENSITIVE)
            .matcher(query)
            .find();
  }
}
