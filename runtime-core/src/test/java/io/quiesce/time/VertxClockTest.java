package io.quiesce.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real time: timers on Vert.x event loops. The delays here are a few milliseconds. */
class VertxClockTest {

  private final Vertx vertx = Vertx.vertx();
  private final VertxClock clock = new VertxClock(vertx);

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void runsTheTaskOnAnEventLoopNoEarlierThanItsDelay() throws Exception {
    long start = clock.nanoTime();
    CompletableFuture<Long> ranAfter = new CompletableFuture<>();
    CompletableFuture<Boolean> onEventLoop = new CompletableFuture<>();

    clock.schedule(Duration.ofMillis(20), () -> {
      onEventLoop.complete(io.vertx.core.Context.isOnEventLoopThread());
      ranAfter.complete(clock.nanoTime() - start);
    });

    assertThat(ranAfter.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(onEventLoop.get()).isTrue();
  }

  @Test
  void aZeroDelayStillRunsLaterNotOnTheCallersStack() throws Exception {
    CompletableFuture<Boolean> ranBeforeCallerReturned = new CompletableFuture<>();
    CompletableFuture<Void> ran = new CompletableFuture<>();
    // Scheduled from an event loop: the task shares it, so it can only run once the caller is done.
    vertx.runOnContext(v -> {
      clock.schedule(Duration.ZERO, () -> ran.complete(null));
      ranBeforeCallerReturned.complete(ran.isDone());
    });

    ran.get(10, TimeUnit.SECONDS);
    assertThat(ranBeforeCallerReturned.get()).isFalse();
  }

  @Test
  void aCancelledTaskDoesNotRun() throws Exception {
    AtomicBoolean cancelledRan = new AtomicBoolean();
    CompletableFuture<Void> laterRan = new CompletableFuture<>();
    // Both timers on one event loop, so the later one firing proves the first one's time passed.
    CompletableFuture<Void> scheduled = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      RuntimeClock.Cancellable cancelled = clock.schedule(Duration.ofMillis(5), () -> cancelledRan.set(true));
      clock.schedule(Duration.ofMillis(30), () -> laterRan.complete(null));
      cancelled.cancel();
      scheduled.complete(null);
    });
    scheduled.get(10, TimeUnit.SECONDS);

    laterRan.get(10, TimeUnit.SECONDS);

    assertThat(cancelledRan).isFalse();
  }

  @Test
  void nanoTimeIsMonotonic() {
    long a = clock.nanoTime();
    long b = clock.nanoTime();
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
