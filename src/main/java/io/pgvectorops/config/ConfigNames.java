package io.pgvectorops.config;

/** The rule for names an operator gives (targets, channels): they appear in URLs and labels. */
final class ConfigNames {
  static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,62}";
  static final String MESSAGE = "must be 1-63 letters, digits, '_', '.' or '-'";

  private ConfigNames() {}
}
