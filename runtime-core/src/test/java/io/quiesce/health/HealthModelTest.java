package io.quiesce.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.api.LifecycleState;
import io.quiesce.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transitions are noticed once, components keep history and last error, time is the runtime clock's. */
class HealthModelTest {

  private final ManualClock clock = new ManualClock();
  private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.RUNNING);
  private final HealthModel model = new HealthModel(clock, state::get, new HealthPolicy(Duration.ofMinutes(5), 10, 20, 3));
  private final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    model.addListener(transitions::add);
  }

  @Test
  void theFirstEvaluationIsATransitionFromNothing() {
    model.evaluate();

    assertThat(transitions).singleElement().satisfies(t -> {
      assertThat(t.from()).isNull();
      assertThat(t.to()).isEqualTo(HealthState.HEALTHY);
    });
  }

  @Test
  void aTransitionIsToldOnceHoweverOftenItIsEvaluated() {
    Component cache = model.service("cache", false);
    cache.ok();

    cache.failed("connection refused");
    cache.failed("connection refused");
    model.evaluate();
    model.snapshot();

    assertThat(transitions).extracting(HealthTransition::to).containsExactly(HealthState.HEALTHY, HealthState.DEGRADED);
    assertThat(transitions.get(1).reasons()).containsExactly("service cache is down");
  }

  @Test
  void everyTransitionBetweenTheThreeStates() {
    Component cache = model.service("cache", false);
    Component store = model.service("store", true);
    cache.ok();
    store.ok();
    cache.failed("x");   // HEALTHY -> DEGRADED
    store.failed("y");   // DEGRADED -> FAILING
    store.ok();          // FAILING -> DEGRADED
    cache.ok();          // DEGRADED -> HEALTHY
    store.failed("z");   // HEALTHY -> FAILING
    store.ok();          // FAILING -> HEALTHY

    assertThat(transitions).extracting(HealthTransition::to).containsExactly(HealthState.HEALTHY,
        HealthState.DEGRADED, HealthState.FAILING, HealthState.DEGRADED, HealthState.HEALTHY,
        HealthState.FAILING, HealthState.HEALTHY);
  }

  @Test
  void drainingMakesHealthFailingWhenNextEvaluated() {
    model.evaluate();
    state.set(LifecycleState.DRAINING);

    assertThat(model.evaluate().state()).isEqualTo(HealthState.FAILING);
    assertThat(transitions).last().extracting(HealthTransition::reasons).isEqualTo(List.of("runtime is draining, not serving"));
  }

  @Test
  void theErrorRateDegradesHealthAndRecoversAsTheWindowSlides() {
    RequestStats stats = model.requests();
    for (int i = 0; i < 20; i++) {
      stats.record(i < 5, 1_000_000);
    }
    assertThat(model.evaluate().state()).isEqualTo(HealthState.DEGRADED);

    clock.advance(Duration.ofMinutes(5).plusSeconds(5));

    assertThat(model.evaluate().state()).isEqualTo(HealthState.HEALTHY);
    assertThat(transitions).extracting(HealthTransition::to).containsExactly(HealthState.DEGRADED, HealthState.HEALTHY);
  }

  @Test
  void aComponentKeepsTheLastChecksItsLastErrorAndSinceWhen() {
    Component db = model.dependency("db", true);
    ComponentView fresh = db.view();
    assertThat(fresh.status()).isEqualTo(ComponentStatus.UNKNOWN);
    assertThat(fresh.history()).isEmpty();

    db.failed("timeout");
    clock.advance(Duration.ofSeconds(10));
    db.ok();
    clock.advance(Duration.ofSeconds(10));
    db.ok();
    clock.advance(Duration.ofSeconds(10));
    db.ok();

    ComponentView v = db.view();
    assertThat(v.status()).isEqualTo(ComponentStatus.OK);
    assertThat(Duration.between(v.since(), model.now())).as("ok since the first success").isEqualTo(Duration.ofSeconds(20));
    assertThat(v.lastError()).as("kept after recovery").isEqualTo("timeout");
    assertThat(Duration.between(v.lastErrorAt(), model.now())).isEqualTo(Duration.ofSeconds(30));
    assertThat(v.history()).as("the last 3 checks, oldest first").extracting(CheckRecord::status)
        .containsExactly(ComponentStatus.OK, ComponentStatus.OK, ComponentStatus.OK);
    assertThat(Duration.between(v.history().get(0).at(), v.history().get(2).at())).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void componentNamesAreUnique() {
    model.service("a", true);

    assertThatThrownBy(() -> model.dependency("a", false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requestStatsReportAverageAndP99Latency() {
    RequestStats stats = model.requests();
    for (int i = 1; i <= 100; i++) {
      stats.record(false, i * 1_000_000L); // 1..100 ms
    }

    RequestStats.Snapshot s = stats.snapshot();

    assertThat(s.requests()).isEqualTo(100);
    assertThat(s.errors()).isZero();
    assertThat(s.averageMillis()).isBetween(49.5, 51.5);
    assertThat(s.p99Millis()).isBetween(98.0, 100.0);
  }
}
