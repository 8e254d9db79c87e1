package io.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownReason;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** start(): order, rollback at every position, and what may and may not be called when. */
class StartupTest {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int SERVICES = 4;

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), STOP_TIMEOUT));
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @Test
  void startsServicesStrictlyInRegistrationOrderEachAfterThePreviousCompleted() {
    List<RecordingService> services = registerHeld("queues", "blobs", "tables");

    Future<Void> started = lifecycle.start();
    assertThat(journal).containsExactly("start queues");

    services.get(0).start.complete();
    assertThat(journal).containsExactly("start queues", "start blobs");

    services.get(1).start.complete();
    assertThat(journal).containsExactly("start queues", "start blobs", "start tables");
    assertThat(started.isComplete()).isFalse();
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STARTING);

    services.get(2).start.complete();
    assertThat(started.succeeded()).isTrue();
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(lifecycle.services().statuses()).containsExactly(
        Map.entry("queues", ServiceStatus.RUNNING),
        Map.entry("blobs", ServiceStatus.RUNNING),
        Map.entry("tables", ServiceStatus.RUNNING));
  }

  @Test
  void startWithNoServicesRunsAtOnceAndOpensTheTracker() {
    assertThat(lifecycle.tracker().tryEnter()).as("work refused before start").isFalse();

    assertThat(lifecycle.start().succeeded()).isTrue();

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(lifecycle.tracker().tryEnter()).as("work admitted once running").isTrue();
    lifecycle.tracker().exit();
  }

  @Test
  void workIsRefusedWhileServicesAreStillStarting() {
    RecordingService slow = RecordingService.held("slow", journal);
    lifecycle.register(slow);

    lifecycle.start();
    assertThat(lifecycle.tracker().tryEnter()).isFalse();

    slow.start.complete();
    assertThat(lifecycle.tracker().tryEnter()).isTrue();
    lifecycle.tracker().exit();
  }

  @ParameterizedTest(name = "service #{0} of 4 fails")
  @ValueSource(ints = {0, 1, 2, 3})
  void rollsBackTheStartedServicesInReverseOrderWhenOneFails(int failing) {
    List<RecordingService> services = registerInstantExcept(failing);
    IllegalStateException boom = new IllegalStateException("service " + failing + " cannot bind");
    services.get(failing).start.fail(boom);

    Future<Void> started = lifecycle.start();

    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= failing; i++) {
      expected.add("start s" + i);
    }
    for (int i = failing - 1; i >= 0; i--) {
      expected.add("stop s" + i);
    }
    assertThat(journal).containsExactlyElementsOf(expected);
    assertThat(services.get(failing).stopCalls()).as("the failed service is not stopped").isZero();
    for (int i = failing + 1; i < SERVICES; i++) {
      assertThat(services.get(i).startCalls()).as("s%d never started", i).isZero();
      assertThat(services.get(i).stopCalls()).as("s%d never stopped", i).isZero();
    }
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).isSameAs(boom);
    assertThat(boom.getSuppressed()).isEmpty();
    for (int i = 0; i < SERVICES; i++) {
      ServiceStatus expectedStatus = i < failing ? ServiceStatus.STOPPED : i == failing ? ServiceStatus.FAILED : ServiceStatus.NEW;
      assertThat(lifecycle.services().statuses()).containsEntry("s" + i, expectedStatus);
    }
  }

  @ParameterizedTest(name = "service #{0} of 4 fails, every rollback stop fails too")
  @ValueSource(ints = {0, 1, 2, 3})
  void rollbackErrorsAreSuppressedUnderTheOriginalCauseNotInItsPlace(int failing) {
    List<RecordingService> services = registerHeld("s0", "s1", "s2", "s3");
    List<RuntimeException> stopErrors = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      if (i < failing) {
        services.get(i).start.complete();
        RuntimeException stopError = new RuntimeException("s" + i + " did not stop");
        stopErrors.add(0, stopError); // stopped in reverse order
        services.get(i).stop.fail(stopError);
      }
    }
    IllegalStateException boom = new IllegalStateException("s" + failing + " cannot bind");
    services.get(failing).start.fail(boom);

    Future<Void> started = lifecycle.start();

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(started.cause()).isSameAs(boom);
    assertThat(boom.getSuppressed()).containsExactlyElementsOf(stopErrors);
    // A failed stop still lets the earlier services be stopped.
    for (int i = 0; i < failing; i++) {
      assertThat(services.get(i).stopCalls()).isOne();
      assertThat(lifecycle.services().statuses()).containsEntry("s" + i, ServiceStatus.FAILED);
    }
  }

  @Test
  void aHangingRollbackStopIsCutAfterTheStopTimeoutAndStartupStillEndsFailed() {
    RecordingService first = RecordingService.instant("first", journal);
    RecordingService hanging = RecordingService.held("hanging", journal);
    hanging.start.complete();
    RecordingService broken = RecordingService.held("broken", journal);
    IllegalStateException boom = new IllegalStateException("broken cannot bind");
    broken.start.fail(boom);
    lifecycle.register(first);
    lifecycle.register(hanging);
    lifecycle.register(broken);

    Future<Void> started = lifecycle.start();
    assertThat(journal).containsExactly("start first", "start hanging", "start broken", "stop hanging");
    assertThat(started.isComplete()).isFalse();

    clock.advance(STOP_TIMEOUT.minusMillis(1));
    assertThat(started.isComplete()).as("still waiting for the stop just before the timeout").isFalse();
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STARTING);

    clock.advance(Duration.ofMillis(1));
    assertThat(journal).containsExactly("start first", "start hanging", "start broken", "stop hanging", "stop first");
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(started.cause()).isSameAs(boom);
    assertThat(boom.getSuppressed()).singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("rollback cut").hasMessageContaining("hanging"));
  }

  @Test
  void aServiceWhoseStartThrowsCountsAsAFailedStart() {
    RecordingService first = RecordingService.instant("first", journal);
    IllegalArgumentException thrown = new IllegalArgumentException("bad port");
    lifecycle.register(first);
    lifecycle.register(ManagedService.of("throwing", () -> {
      throw thrown;
    }, Future::succeededFuture));

    Future<Void> started = lifecycle.start();

    assertThat(started.cause()).isSameAs(thrown);
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(journal).containsExactly("start first", "stop first");
    assertThat(lifecycle.services().statuses()).containsEntry("throwing", ServiceStatus.FAILED);
  }

  @Test
  void aServiceWhoseStartReturnsNoFutureCountsAsAFailedStart() {
    lifecycle.register(ManagedService.of("careless", () -> null, Future::succeededFuture));

    Future<Void> started = lifecycle.start();

    assertThat(started.failed()).isTrue();
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
  }

  /*
   * Future.failedFuture("...") and Promise.fail("...") - the usual Vert.x way to fail - create a
   * NoStackTraceThrowable, whose suppression is disabled: addSuppressed is silently ignored.
   */
  @Test
  void rollbackErrorsAreNotLostWhenTheStartFailedWithAPlainVertxMessage() {
    RecordingService first = RecordingService.held("first", journal);
    first.start.complete();
    RuntimeException stopError = new RuntimeException("first did not stop");
    first.stop.fail(stopError);
    lifecycle.register(first);
    lifecycle.register(ManagedService.of("second", () -> Future.failedFuture("second cannot bind"), Future::succeededFuture));

    Future<Void> started = lifecycle.start();

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
    assertThat(started.cause()).hasMessage("second cannot bind");
    assertThat(started.cause().getSuppressed()).as("rollback error attached to the start failure").contains(stopError);
  }

  /*
   * Two services sharing one failed future (a common dependency) fail start and rollback stop with
   * the very same exception; Throwable.addSuppressed(this) throws.
   */
  @Test
  void startupStillEndsFailedWhenTheRollbackFailsWithTheSameErrorAsTheStart() {
    IllegalStateException databaseDown = new IllegalStateException("database unreachable");
    Future<Void> database = Future.failedFuture(databaseDown);
    lifecycle.register(ManagedService.of("cache", Future::succeededFuture, () -> database));
    lifecycle.register(ManagedService.of("repository", () -> database, Future::succeededFuture));

    Future<Void> started = lifecycle.start();

    assertThat(started.isComplete()).as("start() completes").isTrue();
    assertThat(started.cause()).isSameAs(databaseDown);
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
  }

  @Test
  void startingTwiceFailsTheSecondCallWithAnIllegalTransition() {
    assertThat(lifecycle.start().succeeded()).isTrue();

    Future<Void> again = lifecycle.start();

    assertThat(again.cause()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("RUNNING");
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
  }

  @Test
  void startingWhileStillStartingFailsWithAnIllegalTransition() {
    RecordingService slow = RecordingService.held("slow", journal);
    lifecycle.register(slow);
    Future<Void> first = lifecycle.start();

    assertThat(lifecycle.start().cause()).isInstanceOf(IllegalTransitionException.class);

    slow.start.complete();
    assertThat(first.succeeded()).isTrue();
    assertThat(slow.startCalls()).isOne();
  }

  @Test
  void registeringAfterStartIsRefused() {
    lifecycle.start();

    assertThatIllegalStateException().isThrownBy(() -> lifecycle.register(RecordingService.instant("late", journal)));
    assertThat(lifecycle.services().statuses()).doesNotContainKey("late");
  }

  @Test
  void registeringAfterAShutdownIsRefused() {
    lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThatIllegalStateException().isThrownBy(() -> lifecycle.register(RecordingService.instant("late", journal)));
  }

  @Test
  void registeringTwoServicesWithTheSameNameIsRefused() {
    lifecycle.register(RecordingService.instant("store", journal));

    assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.register(RecordingService.instant("store", journal)))
        .withMessageContaining("store");

    lifecycle.start();
    assertThat(journal).containsExactly("start store");
  }

  private List<RecordingService> registerHeld(String... names) {
    List<RecordingService> out = new ArrayList<>();
    for (String name : names) {
      RecordingService s = RecordingService.held(name, journal);
      lifecycle.register(s);
      out.add(s);
    }
    return out;
  }

  /** s0..s3; all start and stop at once except {@code failing}, whose start the test decides. */
  private List<RecordingService> registerInstantExcept(int failing) {
    List<RecordingService> out = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      RecordingService s = i == failing ? RecordingService.held("s" + i, journal) : RecordingService.instant("s" + i, journal);
      lifecycle.register(s);
      out.add(s);
    }
    return out;
  }
}
