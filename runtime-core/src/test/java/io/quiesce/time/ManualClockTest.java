package io.quiesce.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private final ManualClock clock = new ManualClock();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @Test
  void timeStandsStillUntilAdvanced() {
    long before = clock.nanoTime();

    clock.advance(Duration.ofMillis(1500));

    assertThat(clock.nanoTime() - before).isEqualTo(Duration.ofMillis(1500).toNanos());
  }

  @Test
  void runsDueTasksInDueOrderNotInScheduleOrder() {
    clock.schedule(Duration.ofSeconds(3), () -> ran.add("3s"));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("1s"));
    clock.schedule(Duration.ofSeconds(2), () -> ran.add("2s"));

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("1s", "2s", "3s");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void tasksDueAtTheSameInstantRunInScheduleOrder() {
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("b"));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("c"));

    clock.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void runsOnlyTheTasksThatFallDueAndKeepsTheRest() {
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("1s"));
    clock.schedule(Duration.ofSeconds(2), () -> ran.add("2s"));

    clock.advance(Duration.ofMillis(1999));
    assertThat(ran).containsExactly("1s");
    assertThat(clock.pendingTasks()).isOne();

    clock.advance(Duration.ofMillis(1));
    assertThat(ran).containsExactly("1s", "2s");
  }

  @Test
  void aTaskSeesTheClockAtItsOwnDueTime() {
    long start = clock.nanoTime();
    AtomicReference<Long> seen = new AtomicReference<>();
    clock.schedule(Duration.ofSeconds(2), () -> seen.set(clock.nanoTime() - start));

    clock.advance(Duration.ofSeconds(10));

    assertThat(seen.get()).isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void aCancelledTaskDoesNotRun() {
    RuntimeClock.Cancellable cancelled = clock.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
    clock.schedule(Duration.ofSeconds(1), () -> ran.add("kept"));

    cancelled.cancel();
    clock.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly("kept");
  }

  @Test
  void cancellingATaskThatAlreadyRanIsHarmless() {
    RuntimeClock.Cancellable done = clock.schedule(Duration.ofSeconds(1), () -> ran.add("once"));
    clock.advance(Duration.ofSeconds(1));

    done.cancel();
    clock.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("once");
  }

  @Test
  void aTaskCancelledByAnEarlierTaskDoesNotRun() {
    AtomicReference<RuntimeClock.Cancellable> later = new AtomicReference<>();
    clock.schedule(Duration.ofSeconds(1), () -> {
      ran.add("canceller");
      later.get().cancel();
    });
    later.set(clock.schedule(Duration.ofSeconds(2), () -> ran.add("cancelled")));

    clock.advance(Duration.ofSeconds(3));

    assertThat(ran).containsExactly("canceller");
  }

  /*
   * The RuntimeClock contract: cancel() prevents the task if it has not run yet. A timeout and the
   * work it guards often fall due at the same instant in tests.
   */
  @Test
  void aTaskCancelledByAnotherTaskDueAtTheSameInstantDoesNotRun() {
    AtomicReference<RuntimeClock.Cancellable> sameInstant = new AtomicReference<>();
    clock.schedule(Duration.ofSeconds(1), () -> {
      ran.add("canceller");
      sameInstant.get().cancel();
    });
    sameInstant.set(clock.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled")));

    clock.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("canceller");
  }

  @Test
  void tasksScheduledByTasksDuringAnAdvanceRunIfTheyFallDueWithinIt() {
    clock.schedule(Duration.ofSeconds(1), () -> {
      ran.add("outer at 1s");
      clock.schedule(Duration.ZERO, () -> ran.add("inner now"));
      clock.schedule(Duration.ofSeconds(2), () -> ran.add("inner at 3s"));
      clock.schedule(Duration.ofSeconds(10), () -> ran.add("inner at 11s"));
    });

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("outer at 1s", "inner now", "inner at 3s");
    assertThat(clock.pendingTasks()).isOne();

    clock.advance(Duration.ofSeconds(6));
    assertThat(ran).containsExactly("outer at 1s", "inner now", "inner at 3s", "inner at 11s");
  }

  @Test
  void aZeroDelayTaskWaitsForTheNextAdvanceEvenOfZero() {
    clock.schedule(Duration.ZERO, () -> ran.add("now"));
    assertThat(ran).as("never on the caller's stack").isEmpty();

    clock.advance(Duration.ZERO);

    assertThat(ran).containsExactly("now");
  }
}
