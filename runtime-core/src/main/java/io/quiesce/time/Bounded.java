package io.quiesce.time;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one asynchronous step under a time limit. The step is never interrupted (it may go on in
 * the background); the caller simply stops waiting for it, and learns whether it finished.
 */
public final class Bounded {

  /** How a bounded step ended. {@code failure} is set when the step failed within its limit. */
  public record Outcome(boolean timedOut, Throwable failure, Duration took) {
    public boolean succeeded() {
      return !timedOut && failure == null;
    }
  }

  private Bounded() {}

  /**
   * Starts {@code step} and completes with its outcome, or with a timed-out outcome once
   * {@code limit} has passed. A step that throws instead of returning a future counts as failed.
   * The returned future never fails.
   */
  public static Future<Outcome> run(RuntimeClock clock, Duration limit, Supplier<? extends Future<?>> step) {
    long start = clock.nanoTime();
    Promise<Outcome> done = Promise.promise();
    RuntimeClock.Cancellable timer =
        clock.schedule(limit, () -> done.tryComplete(new Outcome(true, null, since(clock, start))));
    Future<?> work;
    try {
      work = step.get();
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    if (work == null) {
      work = Future.failedFuture(new IllegalStateException("step returned no future"));
    }
    work.onComplete(ar -> {
      if (done.tryComplete(new Outcome(false, ar.failed() ? ar.cause() : null, since(clock, start)))) {
        timer.cancel();
      }
    });
    return done.future();
  }

  private static Duration since(RuntimeClock clock, long start) {
    return Duration.ofNanos(clock.nanoTime() - start);
  }
}
