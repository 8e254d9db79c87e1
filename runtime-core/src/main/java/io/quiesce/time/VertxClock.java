package io.quiesce.time;

import io.vertx.core.Vertx;
import java.time.Duration;

/** Real time, with timers on Vert.x so that no thread is parked while waiting. */
public final class VertxClock implements RuntimeClock {

  private final Vertx vertx;

  public VertxClock(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    // Vert.x timers need at least 1 ms; a zero delay still goes through the event loop so the
    // caller's stack unwinds first, as with any other delay.
    long id = vertx.setTimer(Math.max(1, delay.toMillis()), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
