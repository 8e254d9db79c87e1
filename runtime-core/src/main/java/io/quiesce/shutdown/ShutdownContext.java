package io.quiesce.shutdown;

import io.quiesce.time.Deadline;
import java.time.Duration;

/** What a shutdown callback is told: why the runtime stops and how long it may take. */
public record ShutdownContext(ShutdownReason reason, Deadline deadline) {

  /** Time left before the runtime stops waiting for this callback. */
  public Duration remaining() {
    return deadline.remaining();
  }
}
