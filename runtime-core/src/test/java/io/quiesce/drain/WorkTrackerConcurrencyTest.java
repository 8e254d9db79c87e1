package io.quiesce.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/** Many threads entering and exiting while another refuses: nothing slips in, nothing is lost. */
class WorkTrackerConcurrencyTest {

  private static final int THREADS = 4;
  private static final int ITERATIONS = 100_000;
  /** Hard bound: a worker past ITERATIONS goes on only until it has seen refuse() return. */
  private static final int MAX_ITERATIONS = 1_000_000;

  @RepeatedTest(5)
  void noWorkIsAdmittedAfterRefuseReturnsAndDrainedFiresOnlyAtZero() throws Exception {
    WorkTracker tracker = new WorkTracker();
    tracker.open();
    AtomicBoolean refuseReturned = new AtomicBoolean();
    AtomicLong admittedAfterRefuse = new AtomicLong();
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong attemptsAfterRefuse = new AtomicLong();
    // Admitted units not yet exited, counted by the test itself: inFlight() may briefly include an
    // entry that is being refused (counted, then found refusing), never miss an admitted one.
    AtomicLong held = new AtomicLong();
    AtomicReference<Long> heldWhenDrained = new AtomicReference<>();
    tracker.drained().onComplete(ar -> heldWhenDrained.set(held.get()));

    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch warmedUp = new CountDownLatch(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(pool.submit(() -> {
          go.await();
          boolean refusedBefore = false;
          for (int i = 0; (i < ITERATIONS || !refusedBefore) && i < MAX_ITERATIONS; i++) {
            if (i == ITERATIONS / 10) {
              warmedUp.countDown();
            }
            // Read the flag BEFORE trying: if refuse() had already returned, this tryEnter
            // began after it and must fail. Reading it after would race with refuse().
            refusedBefore = refuseReturned.get();
            if (refusedBefore) {
              attemptsAfterRefuse.incrementAndGet();
            }
            if (tracker.tryEnter()) {
              held.incrementAndGet();
              admitted.incrementAndGet();
              if (refusedBefore) {
                admittedAfterRefuse.incrementAndGet();
              }
              held.decrementAndGet();
              tracker.exit();
            } else {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Future<?> refuser = pool.submit(() -> {
        warmedUp.await();
        tracker.refuse();
        refuseReturned.set(true);
        return null;
      });

      go.countDown();
      refuser.get(60, TimeUnit.SECONDS);
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(attemptsAfterRefuse.get()).as("tryEnter was really called after refuse() returned").isGreaterThanOrEqualTo(THREADS);
    assertThat(admittedAfterRefuse).hasValue(0);
    assertThat(admitted.get() + refused.get()).isGreaterThanOrEqualTo((long) THREADS * ITERATIONS);
    assertThat(admitted.get()).as("work was admitted before refusing").isPositive();
    assertThat(tracker.inFlight()).isZero();
    assertThat(tracker.phase()).isEqualTo(WorkTracker.Phase.REFUSING);
    assertThat(tracker.drained().succeeded()).isTrue();
    assertThat(heldWhenDrained.get()).as("admitted units not yet exited when drained fired").isZero();
  }
}
