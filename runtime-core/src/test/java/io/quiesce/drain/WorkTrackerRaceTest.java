package io.quiesce.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The races of a counter that is counted before the phase is read: drained is announced once and
 * never early, and an entry racing with refuse is either refused or counted until its exit.
 */
class WorkTrackerRaceTest {

  private static final int THREADS = 4;

  /** Each thread holds many units, refuse() comes, then all threads exit theirs at once. */
  @RepeatedTest(20)
  void drainedFiresOnceAndOnlyAfterTheLastOfManyConcurrentExits() throws Exception {
    WorkTracker tracker = new WorkTracker();
    tracker.open();
    int perThread = 20_000;
    for (int i = 0; i < THREADS * perThread; i++) {
      assertThat(tracker.tryEnter()).isTrue();
    }
    AtomicLong exits = new AtomicLong();
    AtomicInteger fired = new AtomicInteger();
    AtomicLong exitsWhenFired = new AtomicLong(-1);
    tracker.drained().onComplete(ar -> {
      fired.incrementAndGet();
      exitsWhenFired.set(exits.get());
    });
    tracker.refuse();
    assertThat(tracker.drained().isComplete()).as("drained with work in flight").isFalse();

    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        all.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            // Count first: a drained that fired before this exit would see one exit too few.
            exits.incrementAndGet();
            tracker.exit();
            // Refused entries racing with the exits must never hide nor fake the zero.
            assertThat(tracker.tryEnter()).isFalse();
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(tracker.drained().succeeded()).isTrue();
    assertThat(fired).hasValue(1);
    assertThat(exitsWhenFired.get()).as("exits done when drained fired").isEqualTo((long) THREADS * perThread);
    assertThat(tracker.inFlight()).isZero();
  }

  /**
   * Threads enter, hold the unit for a moment and exit, in a loop, while refuse() lands: every
   * entry is either refused or admitted and then holds the drain until it exits. Drained must not
   * fire while any admitted unit is held.
   */
  @RepeatedTest(20)
  void anEntryRacingWithRefuseIsRefusedOrHoldsTheDrainNeverLost() throws Exception {
    WorkTracker tracker = new WorkTracker();
    tracker.open();
    AtomicLong held = new AtomicLong();
    AtomicLong heldWhenDrained = new AtomicLong(-1);
    AtomicInteger fired = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    tracker.drained().onComplete(ar -> {
      fired.incrementAndGet();
      heldWhenDrained.set(held.get());
    });
    AtomicLong admittedSoFar = new AtomicLong();
    AtomicLong refusedSoFar = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<long[]>> all = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        all.add(pool.submit(() -> {
          long admitted = 0;
          long refused = 0;
          while (!stop.get()) {
            if (tracker.tryEnter()) {
              admitted++;
              held.incrementAndGet(); // held from here ...
              Thread.onSpinWait();
              held.decrementAndGet(); // ... to here, strictly inside enter/exit
              tracker.exit();
              admittedSoFar.incrementAndGet();
            } else {
              refused++;
              refusedSoFar.incrementAndGet();
            }
          }
          return new long[] {admitted, refused};
        }));
      }
      // Wait on the events, not on time: every thread under way, refuse, a refusal seen by the loops.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> admittedSoFar.get() >= 1_000);
      tracker.refuse();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> refusedSoFar.get() >= THREADS);
      stop.set(true);
      long admitted = 0;
      long refused = 0;
      for (Future<long[]> f : all) {
        long[] r = f.get(60, TimeUnit.SECONDS);
        admitted += r[0];
        refused += r[1];
      }
      assertThat(admitted).isPositive();
      assertThat(refused).as("entries raced with and after refuse").isPositive();
    } finally {
      pool.shutdownNow();
    }

    assertThat(fired).hasValue(1);
    assertThat(heldWhenDrained.get()).as("admitted units held when drained fired").isZero();
    assertThat(tracker.inFlight()).isZero();
  }
}
