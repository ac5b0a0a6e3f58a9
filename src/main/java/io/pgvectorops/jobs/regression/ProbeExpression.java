package io.pgvectorops.jobs.regression;

/**
 * An index expression with its vector column replaced by a query value, so the probe goes through
 * the same expression the application's query does: {@code (binary_quantize(e)::bit(256))} becomes
 * {@code (binary_quantize((?::vector(1536)))::bit(256))}. The expression is PostgreSQL's own
 * deparsed text (pg_get_indexdef), so a small lexer is enough: string literals are skipped, and an
 * identifier is the column only where it is neither a function name (followed by "("), a type
 * (after "::") nor part of a qualified name.
 */
final class ProbeExpression {
  private ProbeExpression() {}

  /**
   * @param expression the index expression as pg_get_indexdef prints it
   * @param column the column as quote_ident prints it
   * @param replacement what stands in for each use of the column
   * @return the expression with the column replaced, or null when the column does not occur
   */
  static String substitute(String expression, String column, String replacement) {
    StringBuilder out = new StringBuilder(expression.length() + 16);
    boolean replaced = false;
    int i = 0;
    while (i < expression.length()) {
      char ch = expression.charAt(i);
      int end;
      if (ch == '\'') {
        end = endOfQuoted(expression, i, '\'');
      } else if (ch == '"') {
        end = endOfQuoted(expression, i, '"');
      } else if (Character.isLetter(ch) || ch == '_') {
        end = i + 1;
        while (end < expression.length() && isIdentifierPart(expression.charAt(end))) {
          end++;
        }
      } else {
        out.append(ch);
        i++;
        continue;
      }
      String token = expression.substring(i, end);
      if (ch != '\'' && token.equals(column) && isColumnUse(expression, i, end)) {
        out.append(replacement);
        replaced = true;
      } else {
        out.append(token);
      }
      i = end;
    }
    return replaced ? out.toString() : null;
  }

  private static int endOfQuoted(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length()) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2; // a doubled quote inside
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return s.length();
  }

  private static boolean isIdentifierPart(char ch) {
    return Character.isLetterOrDigit(ch) || ch == '_' || ch == '$';
  }

  private static boolean isColumnUse(String s, int start, int end) {
    String before = s.substring(0, start).stripTrailing();
    String after = s.substring(end).stripLeading();
    return !before.endsWith("::")
        && !before.endsWith(".")
        && !after.startsWith("(")
        && !after.startsWith(".");
  }
}
