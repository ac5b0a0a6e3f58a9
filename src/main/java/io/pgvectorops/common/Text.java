package io.pgvectorops.common;

/** Text for operators' eyes: shortened library messages, sizes in IEC units. */
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

  /** A size in the largest IEC unit that keeps it at least 1, one decimal: "1.5 GiB". */
  public static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
