package io.pgvectorops.common;

/** Shortening of library messages for operators' eyes. */
public final class Text {
  private Text() {}

  /** The first line of a message (drivers and parsers append hints and positions below it). */
  public static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
