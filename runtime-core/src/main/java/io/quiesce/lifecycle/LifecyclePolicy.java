package io.quiesce.lifecycle;

import java.time.Duration;

/**
 * The time limits of a lifecycle.
 *
 * @param shutdownTimeout the whole shutdown budget; when it runs out the rest is cut
 * @param drainDelay how long to keep serving (readiness already 503) before refusing new work
 * @param drainTimeout the longest wait for in-flight work once refusing
 * @param stopTimeout the bound on each service's stop, during shutdown and during rollback
 */
public record LifecyclePolicy(Duration shutdownTimeout, Duration drainDelay, Duration drainTimeout, Duration stopTimeout) {

  public static final LifecyclePolicy DEFAULT =
      new LifecyclePolicy(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(10));

  public LifecyclePolicy {
    requireNonNegative("shutdownTimeout", shutdownTimeout);
    requireNonNegative("drainDelay", drainDelay);
    requireNonNegative("drainTimeout", drainTimeout);
    requireNonNegative("stopTimeout", stopTimeout);
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + d);
    }
  }
}
