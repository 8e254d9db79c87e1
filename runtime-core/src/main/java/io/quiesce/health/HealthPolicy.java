package io.quiesce.health;

import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import java.time.Duration;

/**
 * The thresholds of the health rules.
 *
 * @param errorWindow how far back the error rate looks
 * @param errorThresholdPercent error rate (in percent of requests) above which health is DEGRADED
 * @param minRequests fewer requests than this in the window never make health DEGRADED (one failed
 *     request out of two is not a trend)
 * @param historySize how many checks each component keeps in its history
 */
public record HealthPolicy(Duration errorWindow, int errorThresholdPercent, int minRequests, int historySize) {

  public static final HealthPolicy DEFAULT = new HealthPolicy(Duration.ofMinutes(5), 10, 20, 20);

  /** The policy the configuration asks for ({@code health.*} keys). */
  public static HealthPolicy from(LoadedConfig config) {
    return new HealthPolicy(config.get(RuntimeKeys.HEALTH_ERROR_WINDOW),
        config.get(RuntimeKeys.HEALTH_ERROR_THRESHOLD),
        config.get(RuntimeKeys.HEALTH_ERROR_MIN_REQUESTS),
        config.get(RuntimeKeys.HEALTH_HISTORY_SIZE));
  }

  public HealthPolicy {
    if (errorWindow == null || errorWindow.isNegative() || errorWindow.isZero()) {
      throw new IllegalArgumentException("errorWindow must be > 0, was " + errorWindow);
    }
    if (errorThresholdPercent < 0 || errorThresholdPercent > 100) {
      throw new IllegalArgumentException("errorThresholdPercent must be 0..100, was " + errorThresholdPercent);
    }
    if (minRequests < 0 || historySize < 1) {
      throw new IllegalArgumentException("minRequests must be >= 0 and historySize >= 1");
    }
  }
}
