package io.pgvectorops.alert;

/** Whether an alert (or a notification about alerts) is firing or resolved. */
public enum AlertState {
  firing,
  resolved
}
