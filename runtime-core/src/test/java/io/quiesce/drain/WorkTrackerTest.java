package io.quiesce.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.drain.WorkTracker.Phase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkTrackerTest {

  private final WorkTracker tracker = new WorkTracker();

  @Test
  void refusesWorkWhileStarting() {
    assertThat(tracker.phase()).isEqualTo(Phase.STARTING);
    assertThat(tracker.tryEnter()).isFalse();
    assertThat(tracker.inFlight()).isZero();
    assertThat(tracker.isDraining()).isFalse();
  }

  @Test
  void admitsAndCountsWorkWhenOpen() {
    tracker.open();

    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.inFlight()).isEqualTo(2);
    tracker.exit();
    assertThat(tracker.inFlight()).isOne();
    assertThat(tracker.phase()).isEqualTo(Phase.OPEN);
    assertThat(tracker.isDraining()).isFalse();
  }

  @Test
  void keepsAdmittingWorkWhileDrainingAndSaysSo() {
    tracker.open();
    assertThat(tracker.tryEnter()).isTrue();

    tracker.beginDrain();

    assertThat(tracker.phase()).isEqualTo(Phase.DRAINING);
    assertThat(tracker.isDraining()).isTrue();
    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.inFlight()).isEqualTo(2);
    tracker.exit();
    tracker.exit();
    assertThat(tracker.drained().isComplete()).as("zero while merely draining is not drained").isFalse();
  }

  @Test
  void refusesWorkOnceRefusingAndStaysDraining() {
    tracker.open();

    tracker.refuse();

    assertThat(tracker.phase()).isEqualTo(Phase.REFUSING);
    assertThat(tracker.isDraining()).isTrue();
    assertThat(tracker.tryEnter()).isFalse();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void phasesNeverMoveBackwards() {
    tracker.open();
    tracker.refuse();

    tracker.open();
    tracker.beginDrain();

    assertThat(tracker.phase()).isEqualTo(Phase.REFUSING);
    assertThat(tracker.tryEnter()).isFalse();
  }

  @Test
  void refusingStraightFromStartingIsDrainedAtOnce() {
    tracker.refuse();

    assertThat(tracker.phase()).isEqualTo(Phase.REFUSING);
    assertThat(tracker.drained().succeeded()).isTrue();
  }

  @Test
  void drainedCompletesAtOnceWhenNothingIsInFlight() {
    tracker.open();
    assertThat(tracker.drained().isComplete()).isFalse();

    tracker.refuse();

    assertThat(tracker.drained().succeeded()).isTrue();
  }

  @Test
  void drainedCompletesExactlyWhenTheLastInFlightUnitExits() {
    tracker.open();
    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.tryEnter()).isTrue();
    AtomicInteger completions = new AtomicInteger();
    tracker.drained().onComplete(ar -> completions.incrementAndGet());

    tracker.refuse();
    assertThat(tracker.drained().isComplete()).isFalse();
    tracker.exit();
    tracker.exit();
    assertThat(tracker.drained().isComplete()).as("one still in flight").isFalse();
    assertThat(tracker.inFlight()).isOne();

    tracker.exit();

    assertThat(tracker.drained().succeeded()).isTrue();
    assertThat(completions).hasValue(1);
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void workAdmittedWhileDrainingHoldsTheDrainToo() {
    tracker.open();
    tracker.beginDrain();
    assertThat(tracker.tryEnter()).isTrue();

    tracker.refuse();
    assertThat(tracker.drained().isComplete()).isFalse();

    tracker.exit();
    assertThat(tracker.drained().succeeded()).isTrue();
  }

  @Test
  void drainSubscribersRunOnceWhenDrainBegins() {
    tracker.open();
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    tracker.onDrain(first::incrementAndGet);
    tracker.onDrain(second::incrementAndGet);
    assertThat(first).hasValue(0);

    tracker.beginDrain();
    assertThat(first).hasValue(1);
    assertThat(second).hasValue(1);

    tracker.beginDrain();
    tracker.refuse();
    assertThat(first).as("told once only").hasValue(1);
    assertThat(second).hasValue(1);
  }

  @Test
  void aLateSubscriberRunsAtOnce() {
    tracker.open();
    tracker.beginDrain();
    AtomicInteger told = new AtomicInteger();

    tracker.onDrain(told::incrementAndGet);

    assertThat(told).hasValue(1);
    tracker.refuse();
    assertThat(told).hasValue(1);
  }

  @Test
  void aSubscriptionClosedBeforeDrainNeverRuns() throws Exception {
    tracker.open();
    AtomicInteger told = new AtomicInteger();
    AutoCloseable subscription = tracker.onDrain(told::incrementAndGet);

    subscription.close();
    tracker.beginDrain();
    tracker.refuse();

    assertThat(told).hasValue(0);
  }

  @Test
  void aThrowingSubscriberDoesNotStopTheOthersNorTheDrain() {
    tracker.open();
    AtomicInteger told = new AtomicInteger();
    tracker.onDrain(() -> {
      throw new IllegalStateException("subscriber bug");
    });
    tracker.onDrain(told::incrementAndGet);

    tracker.refuse();

    assertThat(told).hasValue(1);
    assertThat(tracker.drained().succeeded()).isTrue();
  }
}
