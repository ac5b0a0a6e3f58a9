package io.pgvectorops.alert;

/** Why an alert is in a notification. */
public enum Transition {
  /** It started firing. */
  firing,
  /** Still firing after repeatInterval. */
  repeat,
  /** Still firing, with another severity than last notified. */
  severity,
  /** Its finding has been gone for keepFiringFor. */
  resolved;

  public AlertState state() {
    return this == resolved ? AlertState.resolved : AlertState.firing;
  }
}
