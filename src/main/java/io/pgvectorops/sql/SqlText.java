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
    while (i < condition.length()) {
      int past = pastQuoted(condition, i);
      if (past == UNTERMINATED) {
        return false;
      }
      if (past > i) {
        i = past;
        continue;
      }
      char ch = condition.charAt(i);
      depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      if (ch == ';' || depth < 0) {
        return false;
      }
      i++;
    }
    return depth == 0 && singleStatement("SELECT 1 WHERE (\n" + condition + "\n)") != null;
  }

  private static final int UNTERMINATED = -1;

  /**
   * Where the quoted text, quoted name, dollar quote or comment that starts at {@code i} ends;
   * {@code i} when none starts there, {@link #UNTERMINATED} when it never ends.
   */
  private static int pastQuoted(String s, int i) {
    int n = s.length();
    char ch = s.charAt(i);
    if (ch == '\'' || ch == '"') {
      int end = s.indexOf(ch, i + 1);
      while (end >= 0 && end + 1 < n && s.charAt(end + 1) == ch) {
        end = s.indexOf(ch, end + 2);
      }
      return end < 0 ? UNTERMINATED : end + 1;
    }
    if (s.startsWith("--", i)) {
      int end = s.indexOf('\n', i);
      return end < 0 ? n : end + 1;
    }
    if (s.startsWith("/*", i)) {
      int end = s.indexOf("*/", i + 2);
      return end < 0 ? UNTERMINATED : end + 2;
    }
    Matcher m = DOLLAR.matcher(s).region(i, n);
    if (ch == '$' && m.lookingAt()) {
      int end = s.indexOf(m.group(), m.end());
      return end < 0 ? UNTERMINATED : end + m.group().length();
    }
    return i;
  }

  private static final Pattern DOLLAR = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");
}
