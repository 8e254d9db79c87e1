package io.quiesce.lifecycle;

import static io.quiesce.api.LifecycleState.DRAINING;
import static io.quiesce.api.LifecycleState.FAILED;
import static io.quiesce.api.LifecycleState.INITIALIZING;
import static io.quiesce.api.LifecycleState.RUNNING;
import static io.quiesce.api.LifecycleState.STARTING;
import static io.quiesce.api.LifecycleState.STOPPED;
import static io.quiesce.api.LifecycleState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The transition table, checked pair by pair: every legal move allowed, every other refused. */
class LifecycleStateTest {

  /** The whole table as the runtime documents it; anything not listed is illegal. */
  private static final Map<LifecycleState, Set<LifecycleState>> LEGAL = Map.of(
      INITIALIZING, EnumSet.of(STARTING, STOPPING),
      STARTING, EnumSet.of(RUNNING, STOPPING, FAILED),
      RUNNING, EnumSet.of(DRAINING),
      DRAINING, EnumSet.of(STOPPING),
      STOPPING, EnumSet.of(STOPPED),
      STOPPED, EnumSet.noneOf(LifecycleState.class),
      FAILED, EnumSet.noneOf(LifecycleState.class));

  static Stream<Arguments> everyPairOfStates() {
    List<Arguments> pairs = new ArrayList<>();
    for (LifecycleState from : LifecycleState.values()) {
      for (LifecycleState to : LifecycleState.values()) {
        pairs.add(Arguments.of(from, to, LEGAL.get(from).contains(to)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
  @MethodSource("everyPairOfStates")
  void allowsExactlyTheDocumentedTransitions(LifecycleState from, LifecycleState to, boolean legal) {
    assertThat(from.canMoveTo(to)).isEqualTo(legal);
  }

  @ParameterizedTest
  @EnumSource(LifecycleState.class)
  void noStateMayMoveToItself(LifecycleState state) {
    assertThat(state.canMoveTo(state)).isFalse();
  }

  @Test
  void onlyStoppedAndFailedAreTerminal() {
    for (LifecycleState s : LifecycleState.values()) {
      assertThat(s.isTerminal()).as("%s terminal", s).isEqualTo(s == STOPPED || s == FAILED);
    }
  }

  @ParameterizedTest
  @EnumSource(value = LifecycleState.class, names = {"STOPPED", "FAILED"})
  void terminalStatesCannotBeLeft(LifecycleState terminal) {
    for (LifecycleState next : LifecycleState.values()) {
      assertThat(terminal.canMoveTo(next)).as("%s -> %s", terminal, next).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(value = LifecycleState.class, names = {"STOPPED", "FAILED"}, mode = EnumSource.Mode.EXCLUDE)
  void everyNonTerminalStateCanReachStopped(LifecycleState start) {
    Set<LifecycleState> seen = EnumSet.of(start);
    List<LifecycleState> frontier = new ArrayList<>(List.of(start));
    while (!frontier.isEmpty()) {
      LifecycleState s = frontier.remove(0);
      for (LifecycleState next : LifecycleState.values()) {
        if (s.canMoveTo(next) && seen.add(next)) {
          frontier.add(next);
        }
      }
    }
    assertThat(seen).contains(STOPPED);
  }
}
