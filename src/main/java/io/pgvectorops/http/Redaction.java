package io.pgvectorops.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What of a request may be written to the log and the audit trail: no secret (a query parameter
 * named like one), no control character (a NUL would make the audit entry unstorable).
 */
public final class Redaction {
  /**
   * What in a query parameter's name (any case) says it may carry a secret: such a parameter is
   * never logged, never stored, and refused.
   */
  private static final List<String> SECRET_NAME_PARTS =
      List.of("token", "secret", "passw", "pwd", "key", "auth", "credential", "session");

  private Redaction() {}

  /** Whether a query parameter of this name may carry a secret. */
  public static boolean secretName(String name) {
    // names are short; cap what is looked at so an odd one costs nothing
    String n = (name.length() > 200 ? name.substring(0, 200) : name).toLowerCase(Locale.ROOT);
    return SECRET_NAME_PARTS.stream().anyMatch(n::contains);
  }

  /**
   * The raw query string with the value of every secret-like parameter replaced by {@code
   * [redacted]}; null for none.
   */
  public static String query(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String pair : rawQuery.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      out.append(secretName(decoded(name)) ? name + "=[redacted]" : pair);
    }
    return printable(out.toString());
  }

  private static String decoded(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  /**
   * The text with control characters written as {@code \\uXXXX} and cut to 2,000 characters: safe
   * for a log line and for a text column.
   */
  public static String printable(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), 2000));
    for (int i = 0; i < text.length() && out.length() < 2000; i++) {
      char c = text.charAt(i);
      if (unprintable(text, i)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Whether the text holds what {@link #printable} would escape: a control character or half of a
   * surrogate pair (neither can be stored as text in PostgreSQL, or read back as typed).
   */
  public static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (unprintable(text, i)) {
        return true;
      }
    }
    return false;
  }

  /** A control character, or half of a surrogate pair without its other half. */
  private static boolean unprintable(String text, int i) {
    char c = text.charAt(i);
    if (Character.isISOControl(c)) {
      return true;
    }
    if (!Character.isSurrogate(c)) {
      return false;
    }
    return !(Character.isHighSurrogate(c)
        ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
  }
}
