package io.pgvectorops.common;

/**
 * An operator's glob ({@code *} any run of characters, {@code ?} one character, everything else
 * itself) matched against a whole text without regular expressions: one pass that, on a mismatch,
 * goes back only to the last {@code *}, so it takes at most pattern × text steps whatever the
 * pattern (a backtracking regular expression of many stars takes exponential time).
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(String pattern, String text) {
    int[] p = pattern.codePoints().toArray();
    int[] t = text.codePoints().toArray();
    int pi = 0;
    int ti = 0;
    int star = -1; // the pattern position after the last '*' seen
    int resume = 0; // where in the text that '*' is to stretch to next
    while (ti < t.length) {
      if (pi < p.length && (p[pi] == '?' || p[pi] != '*' && p[pi] == t[ti])) {
        pi++;
        ti++;
      } else if (pi < p.length && p[pi] == '*') {
        star = ++pi;
        resume = ti;
      } else if (star >= 0) {
        pi = star;
        ti = ++resume;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] == '*') {
      pi++;
    }
    return pi == p.length;
  }
}
