package io.pgvectorops.sql;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/** Checks on SQL an operator writes in a job file (a sql-check query, a probe query, a filter). */
public final class SqlText {
  private SqlText() {}

  /**
   * The driver splits a query on semicolons and would send each part, so "SELECT 1; COMMIT; DROP
   * ..." would leave a read-only transaction. Its own parser tells how many statements it would
   * send.
   *
   * @return the query without trailing semicolons, or null when it holds several statements (or the
   *     driver cannot split it)
   */
  public static String singleStatement(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    List<NativeQuery> parts;
    try {
      parts = Parser.parseJdbcSql(q, true, false, true, false, false);
    } catch (SQLException unparsable) {
      return null; // the driver could not split it: not one statement it would send as such
    }
    long statements = parts.stream().filter(n -> !n.nativeSql.isBlank()).count();
    return statements == 1 ? q : null;
  }

  /**
   * A WHERE condition that stays one condition inside the parentheses it is put in: no semicolon,
   * and no parenthesis closed before it was opened ("true) OR (SELECT …" would escape them),
   * outside quotes, quoted names, dollar quotes and comments.
   */
  public static boolean isSingleCondition(String condition) {
    int depth = 0;
    int i = 0;
    int n = condition.length();
    while (i < n) {
      char ch = condition.charAt(i);
      if (ch == '\'' || ch == '"') {
        int end = condition.indexOf(ch, i + 1);
        while (end >= 0 && end + 1 < n && condition.charAt(end + 1) == ch) {
          end = condition.indexOf(ch, end + 2);
        }
        if (end < 0) {
          return false;
        }
        i = end + 1;
      } else if (ch == '-' && condition.startsWith("--", i)) {
        int end = condition.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (ch == '/' && condition.startsWith("/*", i)) {
        int end = condition.indexOf("*/", i + 2);
        if (end < 0) {
          return false;
        }
        i = end + 2;
      } else if (ch == '$' && DOLLAR.matcher(condition).region(i, n).lookingAt()) {
        Matcher m = DOLLAR.matcher(condition).region(i, n);
        m.lookingAt();
        int end = condition.indexOf(m.group(), m.end());
        if (end < 0) {
          return false;
        }
        i = end + m.group().length();
      } else {
        if (ch == ';') {
          return false;
        }
        depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
        if (depth < 0) {
          return false;
        }
        i++;
      }
    }
    return depth == 0 && singleStatement("SELECT 1 WHERE (\n" + condition + "\n)") != null;
  }

  private static final Pattern DOLLAR = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");
}
