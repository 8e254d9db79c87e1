package io.quiesce.lifecycle;

import static io.quiesce.api.LifecycleState.DRAINING;
import static io.quiesce.api.LifecycleState.INITIALIZING;
import static io.quiesce.api.LifecycleState.RUNNING;
import static io.quiesce.api.LifecycleState.STARTING;
import static io.quiesce.api.LifecycleState.STOPPED;
import static io.quiesce.api.LifecycleState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.StateTransition;
import io.quiesce.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleListenersTest {

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(10)));
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @Test
  void listenerHearsEveryTransitionOfAFullRunInOrderWithItsReason() {
    List<StateTransition> heard = new CopyOnWriteArrayList<>();
    lifecycle.onTransition(heard::add);
    lifecycle.register(RecordingService.instant("store", journal));

    lifecycle.start();
    lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThat(heard).extracting(StateTransition::from, StateTransition::to).containsExactly(
        tuple(INITIALIZING, STARTING),
        tuple(STARTING, RUNNING),
        tuple(RUNNING, DRAINING),
        tuple(DRAINING, STOPPING),
        tuple(STOPPING, STOPPED));
    assertThat(heard).allSatisfy(t -> assertThat(t.reason()).isNotBlank());
    assertThat(heard.subList(2, 5)).allSatisfy(t -> assertThat(t.reason()).contains("MANUAL"));
    assertThat(heard).extracting(StateTransition::at).isSorted();
  }

  @Test
  void everyListenerHearsTheSameTransitions() {
    List<StateTransition> first = new CopyOnWriteArrayList<>();
    List<StateTransition> second = new CopyOnWriteArrayList<>();
    lifecycle.onTransition(first::add);
    lifecycle.onTransition(second::add);

    lifecycle.start();
    lifecycle.shutdown(ShutdownReason.SIGNAL);

    assertThat(first).hasSize(5).isEqualTo(second);
  }

  @Test
  void aThrowingListenerDoesNotStopTheLifecycleNorTheListenersAfterIt() {
    lifecycle.onTransition(t -> {
      throw new IllegalStateException("listener bug");
    });
    List<StateTransition> heard = new CopyOnWriteArrayList<>();
    lifecycle.onTransition(heard::add);
    lifecycle.register(RecordingService.instant("store", journal));

    assertThat(lifecycle.start().succeeded()).isTrue();
    assertThat(lifecycle.shutdown(ShutdownReason.MANUAL).result().clean()).isTrue();

    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(heard).extracting(StateTransition::to).containsExactly(STARTING, RUNNING, DRAINING, STOPPING, STOPPED);
    assertThat(journal).containsExactly("start store", "stop store");
  }

  @Test
  void stateIsReadableFromAnotherThreadAtEveryStep() throws Exception {
    RecordingService store = RecordingService.held("store", journal);
    lifecycle.register(store);

    assertThat(stateSeenFromAnotherThread()).isEqualTo(INITIALIZING);
    lifecycle.start();
    assertThat(stateSeenFromAnotherThread()).isEqualTo(STARTING);
    store.start.complete();
    assertThat(stateSeenFromAnotherThread()).isEqualTo(RUNNING);
    lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(stateSeenFromAnotherThread()).isEqualTo(STOPPING); // waiting for the stop of "store"
    store.stop.complete();
    assertThat(stateSeenFromAnotherThread()).isEqualTo(STOPPED);
  }

  private LifecycleState stateSeenFromAnotherThread() throws Exception {
    return CompletableFuture.supplyAsync(lifecycle::state).get(5, TimeUnit.SECONDS);
  }
}
