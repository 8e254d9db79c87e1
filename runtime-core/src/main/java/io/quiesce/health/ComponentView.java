package io.quiesce.health;

import java.time.Instant;
import java.util.List;

/**
 * A consistent snapshot of one component, as {@code /health} shows it.
 *
 * @param since when the component entered {@code status}
 * @param lastError the most recent error message, kept after the component recovers; null if none
 * @param lastErrorAt when {@code lastError} happened; null if none
 * @param restarts how often the supervisor restarted it (0 for dependencies)
 * @param history the last checks, oldest first
 */
public record ComponentView(String name, ComponentKind kind, boolean critical, ComponentStatus status, Instant since,
    String lastError, Instant lastErrorAt, int restarts, List<CheckRecord> history) {

  /** True when this component counts as down: its status is FAILED. */
  public boolean down() {
    return status == ComponentStatus.FAILED;
  }
}
