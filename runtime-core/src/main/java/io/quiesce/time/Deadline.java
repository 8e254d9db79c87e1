package io.quiesce.time;

import java.time.Duration;

/** A point in time on a {@link RuntimeClock}; shutdown budgets are deadlines, not durations. */
public final class Deadline {

  private final RuntimeClock clock;
  private final long dueNanos;

  private Deadline(RuntimeClock clock, long dueNanos) {
    this.clock = clock;
    this.dueNanos = dueNanos;
  }

  public static Deadline after(RuntimeClock clock, Duration budget) {
    return new Deadline(clock, clock.nanoTime() + budget.toNanos());
  }

  /** Time left, never negative. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, dueNanos - clock.nanoTime()));
  }

  public boolean isExpired() {
    return dueNanos - clock.nanoTime() <= 0;
  }

  /** The earlier of this deadline and {@code budget} from now. */
  public Deadline cappedAt(Duration budget) {
    return new Deadline(clock, Math.min(dueNanos, clock.nanoTime() + budget.toNanos()));
  }

  /** This deadline moved earlier by {@code margin} (never before now). */
  public Deadline earlierBy(Duration margin) {
    return new Deadline(clock, Math.max(clock.nanoTime(), dueNanos - margin.toNanos()));
  }

  public RuntimeClock clock() {
    return clock;
  }
}
