package io.quiesce.events;

import io.quiesce.time.RuntimeClock;
import java.time.Duration;

/**
 * Runs a task every {@code interval} on the runtime clock until stopped; a zero interval never
 * runs it. Each beat is scheduled after the previous one ran, so beats never pile up. Thread-safe.
 */
public final class Heartbeat {

  private final RuntimeClock clock;
  private final Duration interval;
  private final Runnable beat;
  private RuntimeClock.Cancellable next; // guarded by this
  private boolean running; // guarded by this

  public Heartbeat(RuntimeClock clock, Duration interval, Runnable beat) {
    this.clock = clock;
    this.interval = interval;
    this.beat = beat;
  }

  /** Starts beating; the first beat comes one interval from now. Idempotent. */
  public synchronized void start() {
    if (running || interval.isZero()) {
      return;
    }
    running = true;
    next = clock.schedule(interval, this::tick);
  }

  private void tick() {
    synchronized (this) {
      if (!running) {
        return;
      }
    }
    try {
      beat.run();
    } finally {
      synchronized (this) {
        if (running) {
          next = clock.schedule(interval, this::tick);
        }
      }
    }
  }

  /** No beat runs after this returns (one already running finishes). Idempotent. */
  public synchronized void stop() {
    running = false;
    if (next != null) {
      next.cancel();
      next = null;
    }
  }
}
