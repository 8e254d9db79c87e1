package io.quiesce.api;

import java.util.EnumSet;
import java.util.Set;

/** The states of a runtime, in the order a healthy run passes through them. */
public enum LifecycleState {
  INITIALIZING,
  STARTING,
  RUNNING,
  DRAINING,
  STOPPING,
  STOPPED,
  FAILED;

  /** True if the runtime may go from this state straight to {@code next}. */
  public boolean canMoveTo(LifecycleState next) {
    return successors().contains(next);
  }

  /** True once shutdown has begun: DRAINING, STOPPING, STOPPED. Long waits end early then. */
  public boolean isShuttingDown() {
    return this == DRAINING || this == STOPPING || this == STOPPED;
  }

  /** True for the states a runtime never leaves. */
  public boolean isTerminal() {
    return this == STOPPED || this == FAILED;
  }

  private Set<LifecycleState> successors() {
    return switch (this) {
      // Shutdown before start, and shutdown requested while starting, both go through STOPPING.
      case INITIALIZING -> EnumSet.of(STARTING, STOPPING);
      case STARTING -> EnumSet.of(RUNNING, STOPPING, FAILED);
      case RUNNING -> EnumSet.of(DRAINING);
      case DRAINING -> EnumSet.of(STOPPING);
      case STOPPING -> EnumSet.of(STOPPED);
      case STOPPED, FAILED -> EnumSet.noneOf(LifecycleState.class);
    };
  }
}
