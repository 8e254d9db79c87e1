package io.quiesce.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReason;
import io.quiesce.health.ComponentStatus;
import io.quiesce.health.HealthModel;
import io.quiesce.health.HealthPolicy;
import io.quiesce.health.HealthState;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.lifecycle.ServiceStatus;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each restart policy, backoff, the start limit, and restarts against shutdown; all on a manual clock. */
class SupervisorTest {

  private static final Duration CHECK = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock, LifecyclePolicy.DEFAULT);
  private final HealthModel health = new HealthModel(clock, lifecycle::state, HealthPolicy.DEFAULT);
  private final Supervisor supervisor = new Supervisor(lifecycle, health, clock, RestartPolicy.DEFAULT);
  private final FlakyService queue = new FlakyService("queue");
  private final FlakyService other = new FlakyService("other");
  private final List<String> events = new CopyOnWriteArrayList<>();

  private static RestartPolicy policy(RestartMode mode, int threshold, int burst) {
    return new RestartPolicy(mode, threshold, CHECK, Duration.ofSeconds(1), Duration.ofSeconds(4), burst,
        Duration.ofMinutes(10));
  }

  private void start(RestartPolicy queuePolicy) {
    lifecycle.register(queue);
    lifecycle.register(other);
    supervisor.configure("queue", queuePolicy, true);
    supervisor.watchServices(List.of());
    supervisor.addListener(new SupervisionListener() {
      @Override
      public void onFailure(String service, int failures, String error) {
        events.add("failure " + service + " " + failures + " " + error);
      }

      @Override
      public void onRestart(String service, int restarts, String reason, boolean succeeded) {
        events.add("restart " + service + " #" + restarts + (succeeded ? " ok" : " failed"));
      }

      @Override
      public void onHealthy(String service) {
        events.add("healthy " + service);
      }

      @Override
      public void onGaveUp(String service, String reason) {
        events.add("gave up " + service);
      }
    });
    assertThat(lifecycle.start().succeeded()).isTrue();
    clock.advance(Duration.ZERO); // the first check runs as soon as the runtime is RUNNING
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void aHealthyServiceIsCheckedEveryIntervalAndReportedOk() {
    start(policy(RestartMode.ON_FAILURE, 3, 5));

    advance(CHECK.multipliedBy(3));

    assertThat(queue.checks.get()).isEqualTo(4);
    assertThat(health.component("queue").status()).isEqualTo(ComponentStatus.OK);
    assertThat(health.evaluate().state()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void neverRestartsButReportsTheFailure() {
    start(policy(RestartMode.NEVER, 1, 5));
    queue.healthy.set(false);

    advance(CHECK.multipliedBy(10));

    assertThat(queue.starts.get()).as("started once, never again").isEqualTo(1);
    assertThat(queue.stops.get()).isZero();
    assertThat(health.component("queue").status()).isEqualTo(ComponentStatus.FAILED);
    assertThat(health.evaluate().state()).as("queue is critical").isEqualTo(HealthState.FAILING);
    assertThat(events).containsExactly("failure queue 1 queue stuck");
  }

  @Test
  void onFailureRestartsAfterNConsecutiveFailedChecksAndTheBackoff() {
    queue.healthy.set(false);
    start(policy(RestartMode.ON_FAILURE, 3, 5)); // failure 1 at t=0

    advance(CHECK.multipliedBy(2)); // failures 2 and 3
    assertThat(queue.checks.get()).isEqualTo(3);
    advance(Duration.ofMillis(999));
    assertThat(queue.starts.get()).as("waiting out the 1 s backoff").isEqualTo(1);

    queue.healthy.set(true);
    advance(Duration.ofMillis(1));

    assertThat(queue.stops.get()).isEqualTo(1);
    assertThat(queue.starts.get()).isEqualTo(2);
    assertThat(lifecycle.services().statuses().get("queue")).isEqualTo(ServiceStatus.RUNNING);
    assertThat(health.component("queue").view().restarts()).isEqualTo(1);
    assertThat(other.stops.get()).as("other services untouched").isZero();

    advance(CHECK);
    assertThat(events).containsExactly("failure queue 1 queue stuck", "restart queue #1 ok", "healthy queue");
    assertThat(health.evaluate().state()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void onFailureDoesNotRestartWhenTheFailuresAreNotConsecutive() {
    start(policy(RestartMode.ON_FAILURE, 3, 5));
    for (int i = 0; i < 5; i++) {
      queue.healthy.set(false);
      advance(CHECK);
      advance(CHECK);
      queue.healthy.set(true);
      advance(CHECK);
    }

    assertThat(queue.starts.get()).isEqualTo(1);
    assertThat(events).filteredOn(e -> e.startsWith("healthy")).hasSize(5);
  }

  @Test
  void alwaysRestartsOnTheFirstFailedCheck() {
    start(policy(RestartMode.ALWAYS, 3, 5));
    queue.healthy.set(false);
    advance(CHECK);

    advance(Duration.ofSeconds(1));

    assertThat(queue.starts.get()).isEqualTo(2);
  }

  @Test
  void theBackoffDoublesUpToItsMaximumWhileTheServiceKeepsFailing() {
    start(policy(RestartMode.ALWAYS, 1, 100));
    queue.healthy.set(false); // the check at t=0 passed; the next, at t=10, fails

    // restart after 1 s, then the next check 10 s later fails again: 2 s, 4 s, then 4 s (the cap)
    long[] restartAt = {11, 10 + 1 + 10 + 2, 10 + 1 + 10 + 2 + 10 + 4, 10 + 1 + 10 + 2 + 10 + 4 + 10 + 4};
    long now = 0;
    for (int i = 0; i < restartAt.length; i++) {
      advance(Duration.ofSeconds(restartAt[i] - now).minusMillis(1));
      assertThat(queue.starts.get()).as("before restart %d", i + 1).isEqualTo(1 + i);
      advance(Duration.ofMillis(1));
      assertThat(queue.starts.get()).as("restart %d at t=%d s", i + 1, restartAt[i]).isEqualTo(2 + i);
      now = restartAt[i];
    }
  }

  @Test
  void theBackoffStartsOverOnceTheServiceIsHealthyAgain() {
    start(policy(RestartMode.ALWAYS, 1, 100));
    queue.healthy.set(false);
    advance(CHECK);                       // fails at t=10
    advance(Duration.ofSeconds(1));       // restart 1 at t=11
    advance(CHECK);                       // fails at t=21
    advance(Duration.ofSeconds(2));       // restart 2 at t=23 (doubled)
    queue.healthy.set(true);
    advance(CHECK);                       // healthy at t=33
    queue.healthy.set(false);
    advance(CHECK);                       // fails at t=43

    advance(Duration.ofSeconds(1));

    assertThat(queue.starts.get()).as("restart 3 after the initial 1 s again").isEqualTo(4);
  }

  @Test
  void pastTheStartLimitTheServiceIsStoppedAndStaysDownAndHealthIsFailing() {
    start(policy(RestartMode.ALWAYS, 1, 2));
    queue.healthy.set(false);

    advance(Duration.ofMinutes(2));

    assertThat(queue.starts.get()).as("two restarts allowed").isEqualTo(3);
    assertThat(queue.stops.get()).as("stopped for each restart, and once more for good").isEqualTo(3);
    assertThat(lifecycle.services().statuses().get("queue")).isEqualTo(ServiceStatus.FAILED);
    assertThat(health.component("queue").view().lastError()).startsWith("start limit hit: 2 restarts within 600 s");
    assertThat(health.evaluate().state()).isEqualTo(HealthState.FAILING);
    assertThat(events).last().isEqualTo("gave up queue");
    int checks = queue.checks.get();

    queue.healthy.set(true);
    advance(Duration.ofHours(1));

    assertThat(queue.checks.get()).as("no longer checked").isEqualTo(checks);
    assertThat(queue.starts.get()).isEqualTo(3);
    assertThat(lifecycle.services().statuses().get("other")).isEqualTo(ServiceStatus.RUNNING);
  }

  @Test
  void restartsOutsideTheStartLimitWindowDoNotCount() {
    RestartPolicy p = new RestartPolicy(RestartMode.ALWAYS, 1, CHECK, Duration.ofSeconds(1), Duration.ofSeconds(1), 2,
        Duration.ofSeconds(15));
    start(p);
    queue.healthy.set(false);

    advance(Duration.ofMinutes(5));

    assertThat(queue.starts.get()).as("a restart every 11 s: never a third within 15 s").isGreaterThan(20);
    assertThat(lifecycle.services().statuses().get("queue")).isEqualTo(ServiceStatus.RUNNING);
  }

  @Test
  void aFatalErrorRestartsAtOnceWhateverTheThreshold() {
    start(policy(RestartMode.ON_FAILURE, 3, 5));

    supervisor.fatal("queue", new IllegalStateException("disk gone"));
    advance(Duration.ofSeconds(1));

    assertThat(queue.starts.get()).isEqualTo(2);
    assertThat(health.component("queue").view().lastError()).isEqualTo("disk gone");
  }

  @Test
  void aRestartWhoseStartFailsIsRetriedWithBackoffUntilTheLimit() {
    start(policy(RestartMode.ALWAYS, 1, 3));
    queue.healthy.set(false);
    queue.startFails.set(true);
    advance(CHECK);

    advance(Duration.ofSeconds(1 + 2 + 4));

    assertThat(queue.starts.get()).isEqualTo(4);
    assertThat(lifecycle.services().statuses().get("queue")).isEqualTo(ServiceStatus.FAILED);
    assertThat(events).contains("restart queue #1 failed", "restart queue #3 failed", "gave up queue");
  }

  @Test
  void noRestartOnceShutdownWasRequested() {
    start(policy(RestartMode.ALWAYS, 1, 5));
    queue.healthy.set(false);
    advance(CHECK); // restart scheduled for 1 s later

    Future<?> stopped = lifecycle.shutdown(ShutdownReason.MANUAL);
    advance(Duration.ofSeconds(60));

    assertThat(stopped.isComplete()).isTrue();
    assertThat(queue.starts.get()).as("not restarted").isEqualTo(1);
    assertThat(queue.stops.get()).as("stopped once, by shutdown").isEqualTo(1);
    assertThat(lifecycle.services().restart("queue").failed()).isTrue();
  }

  @Test
  void aShutdownDuringARestartWaitsForItAndTheServiceIsNotStartedAgain() {
    start(policy(RestartMode.ALWAYS, 1, 5));
    Promise<Void> stop = Promise.promise();
    queue.heldStop.set(stop);
    queue.healthy.set(false);
    advance(CHECK);
    advance(Duration.ofSeconds(1)); // restart begins: its stop is held
    assertThat(queue.stops.get()).isEqualTo(1);

    Future<?> shutdown = lifecycle.shutdown(ShutdownReason.MANUAL);
    advance(Duration.ZERO);
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPING);
    assertThat(shutdown.isComplete()).as("waits for the restart's stop").isFalse();

    stop.complete();
    advance(Duration.ZERO);

    assertThat(shutdown.isComplete()).isTrue();
    assertThat(queue.starts.get()).as("not started again").isEqualTo(1);
    assertThat(queue.stops.get()).as("not stopped twice").isEqualTo(1);
    assertThat(other.stops.get()).isEqualTo(1);
    assertThat(lifecycle.services().statuses().get("queue")).isEqualTo(ServiceStatus.STOPPED);
  }
}
