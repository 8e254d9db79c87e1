package io.quiesce.health;

import io.quiesce.api.LifecycleState;
import java.util.ArrayList;
import java.util.List;

/**
 * The health rules, as one pure function (documented in the README, section Health):
 *
 * <ol>
 *   <li>FAILING when the runtime cannot serve (any state but RUNNING) or a critical component is down.
 *   <li>DEGRADED when a non-critical component is down, when there are dependencies and every one
 *       of them failed, or when the error rate in the window is above the threshold (with at least
 *       the minimum number of requests).
 *   <li>HEALTHY otherwise. UNKNOWN (never checked) does not count as down.
 * </ol>
 */
public final class HealthRules {

  /** The verdict and every reason for it (empty when HEALTHY). */
  public record Verdict(HealthState state, List<String> reasons) {}

  private HealthRules() {}

  public static Verdict evaluate(LifecycleState lifecycle, List<ComponentView> components,
      ErrorRateWindow.Counts window, HealthPolicy policy) {
    List<String> failing = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    if (lifecycle != LifecycleState.RUNNING) {
      failing.add("runtime is " + lifecycle.name().toLowerCase() + ", not serving");
    }
    int dependencies = 0;
    int failedDependencies = 0;
    for (ComponentView c : components) {
      if (c.kind() == ComponentKind.DEPENDENCY) {
        dependencies++;
        failedDependencies += c.down() ? 1 : 0;
      }
      if (c.down()) {
        (c.critical() ? failing : degraded).add(
            c.kind().name().toLowerCase() + " " + c.name() + " is down" + (c.critical() ? " (critical)" : ""));
      }
    }
    if (dependencies > 0 && failedDependencies == dependencies) {
      degraded.add("every dependency failed");
    }
    if (window.requests() >= Math.max(1, policy.minRequests())
        && window.rate() * 100 > policy.errorThresholdPercent()) {
      degraded.add(String.format(java.util.Locale.ROOT, "error rate %.1f%% (%d of %d requests) over %d%%",
          window.rate() * 100, window.errors(), window.requests(), policy.errorThresholdPercent()));
    }
    if (!failing.isEmpty()) {
      failing.addAll(degraded);
      return new Verdict(HealthState.FAILING, List.copyOf(failing));
    }
    return degraded.isEmpty()
        ? new Verdict(HealthState.HEALTHY, List.of())
        : new Verdict(HealthState.DEGRADED, List.copyOf(degraded));
  }
}
