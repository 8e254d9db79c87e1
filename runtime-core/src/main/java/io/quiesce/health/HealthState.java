package io.quiesce.health;

/** The runtime's overall health, derived by {@link HealthRules}; worst last. */
public enum HealthState {
  /** Running, every critical component ok, error rate under the threshold. */
  HEALTHY,
  /** Serving, but something is wrong: a non-critical component down, every dependency failed, or too many errors. */
  DEGRADED,
  /** A critical component is down, or the runtime cannot serve (not RUNNING). */
  FAILING
}
