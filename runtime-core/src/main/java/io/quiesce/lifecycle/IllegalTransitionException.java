package io.quiesce.lifecycle;

import io.quiesce.api.LifecycleState;

/** A transition the state machine does not allow was asked for; nothing changed. */
public final class IllegalTransitionException extends IllegalStateException {

  public IllegalTransitionException(LifecycleState actual, LifecycleState expected, LifecycleState target) {
    super("cannot move to " + target + " from " + actual
        + (actual == expected ? "" : " (expected to be in " + expected + ")"));
  }
}
