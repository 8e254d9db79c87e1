package io.quiesce.health;

/** What the last check (or the last call, for a dependency) of one component said. */
public enum ComponentStatus {
  /** The last check passed. */
  OK,
  /** The last check failed, or the component is down. */
  FAILED,
  /** No check or call has been made yet; never counts as down. */
  UNKNOWN
}
