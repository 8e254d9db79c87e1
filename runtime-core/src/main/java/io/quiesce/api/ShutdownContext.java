package io.quiesce.api;

import io.quiesce.time.Deadline;
import java.time.Duration;

/**
 * What a shutdown task is told: why the runtime stops and by when the task must be done. The
 * deadline is up to 50 ms before its phase's end, so that what a task forces at its deadline is
 * done before the runtime stops waiting.
 */
public record ShutdownContext(ShutdownReason reason, Deadline deadline) {

  /** Time left before this task's deadline. */
  public Duration remaining() {
    return deadline.remaining();
  }
}
