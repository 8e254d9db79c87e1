package io.quiesce.http.drain;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's timer, on its event loop: makes sure a check runs within a given delay, with at
 * most one task scheduled at a time, re-scheduled only when the next check must come sooner (as
 * Netty's {@code IdleStateHandler} does). A check that finds it too early asks again; what happens
 * on the connection (requests, streams) schedules nothing. Confined to the event loop.
 */
final class CheckTimer {

  private final EventExecutor loop;
  private final Runnable fire;
  private ScheduledFuture<?> next;
  private long nextAt; // when the scheduled check runs

  CheckTimer(EventExecutor loop, Runnable check) {
    this.loop = loop;
    this.fire = () -> {
      next = null;
      check.run();
    };
  }

  /** A check within {@code delayNanos}; a check already due sooner stays. {@code Long.MAX_VALUE}: none. */
  void within(long delayNanos) {
    if (delayNanos == Long.MAX_VALUE) {
      return;
    }
    long at = System.nanoTime() + delayNanos;
    if (next != null) {
      if (nextAt - at <= 0) {
        return;
      }
      next.cancel(false);
    }
    nextAt = at;
    next = loop.schedule(fire, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The check now, instead of when it was due. */
  void now() {
    cancel();
    fire.run();
  }

  /** The scheduled check, if there is one, now. */
  void hurry() {
    if (next != null) {
      now();
    }
  }

  void cancel() {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }
}
