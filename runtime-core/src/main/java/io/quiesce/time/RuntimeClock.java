package io.quiesce.time;

import java.time.Duration;

/**
 * The runtime's only source of time, so that every timeout (drain, callbacks, service stops) can be
 * driven by a {@link ManualClock} in tests instead of by real waiting.
 */
public interface RuntimeClock {

  /** Monotonic time in nanoseconds, comparable only with other values of the same clock. */
  long nanoTime();

  /**
   * Runs {@code task} once after {@code delay}. The task must be short and non-blocking: with the
   * Vert.x clock it runs on an event loop.
   *
   * @return a handle whose {@link Cancellable#cancel()} prevents the task if it has not run yet
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that may be withdrawn. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
