package io.quiesce.supervision;

import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import java.time.Duration;

/**
 * How one managed service is checked and restarted.
 *
 * @param mode when to restart
 * @param failureThreshold consecutive failed checks before an {@link RestartMode#ON_FAILURE} restart
 * @param checkInterval time between checks; also the longest a check may take
 * @param backoffInitial delay before the first restart after the service was last healthy; each
 *     further restart waits twice as long as the one before, up to {@code backoffMax}
 * @param backoffMax the longest delay before a restart
 * @param startLimitBurst at most this many restarts within {@code startLimitInterval}; one more
 *     and the service is stopped and stays down (like systemd's {@code StartLimitBurst})
 * @param startLimitInterval the window of the start limit (systemd's {@code StartLimitIntervalSec})
 */
public record RestartPolicy(RestartMode mode, int failureThreshold, Duration checkInterval, Duration backoffInitial,
    Duration backoffMax, int startLimitBurst, Duration startLimitInterval) {

  public static final RestartPolicy DEFAULT = new RestartPolicy(RestartMode.ON_FAILURE, 3, Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(10));

  /**
   * The default policy the configuration asks for ({@code supervision.*} keys).
   *
   * @throws IllegalArgumentException if backoff_max is below backoff_initial
   */
  public static RestartPolicy from(LoadedConfig config) {
    return new RestartPolicy(RestartMode.fromWord(config.get(RuntimeKeys.SUPERVISION_RESTART)),
        config.get(RuntimeKeys.SUPERVISION_FAILURE_THRESHOLD), config.get(RuntimeKeys.SUPERVISION_CHECK_INTERVAL),
        config.get(RuntimeKeys.SUPERVISION_BACKOFF_INITIAL), config.get(RuntimeKeys.SUPERVISION_BACKOFF_MAX),
        config.get(RuntimeKeys.SUPERVISION_START_LIMIT_BURST), config.get(RuntimeKeys.SUPERVISION_START_LIMIT_INTERVAL));
  }

  public RestartPolicy {
    if (mode == null || failureThreshold < 1 || startLimitBurst < 1) {
      throw new IllegalArgumentException("need a mode, failureThreshold >= 1 and startLimitBurst >= 1");
    }
    if (!positive(checkInterval) || backoffInitial == null || backoffInitial.isNegative()
        || backoffMax == null || backoffMax.compareTo(backoffInitial) < 0 || !positive(startLimitInterval)) {
      throw new IllegalArgumentException("need checkInterval > 0, 0 <= backoffInitial <= backoffMax, startLimitInterval > 0");
    }
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  /** The same policy with another mode. */
  public RestartPolicy withMode(RestartMode m) {
    return new RestartPolicy(m, failureThreshold, checkInterval, backoffInitial, backoffMax, startLimitBurst, startLimitInterval);
  }

  /** The same policy with another check interval. */
  public RestartPolicy withCheckInterval(Duration d) {
    return new RestartPolicy(mode, failureThreshold, d, backoffInitial, backoffMax, startLimitBurst, startLimitInterval);
  }

  /** Consecutive failed checks that trigger a restart; {@link Integer#MAX_VALUE} for NEVER. */
  public int failuresBeforeRestart() {
    return switch (mode) {
      case NEVER -> Integer.MAX_VALUE;
      case ON_FAILURE -> failureThreshold;
      case ALWAYS -> 1;
    };
  }

  /** Delay before restart number {@code attempt} (0-based) since the service was last healthy. */
  public Duration backoff(int attempt) {
    Duration d = backoffInitial;
    for (int i = 0; i < attempt && d.compareTo(backoffMax) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(backoffMax) < 0 ? d : backoffMax;
  }
}
