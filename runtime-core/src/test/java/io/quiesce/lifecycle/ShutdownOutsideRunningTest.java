package io.quiesce.lifecycle;

import static io.quiesce.api.LifecycleState.FAILED;
import static io.quiesce.api.LifecycleState.INITIALIZING;
import static io.quiesce.api.LifecycleState.STARTING;
import static io.quiesce.api.LifecycleState.STOPPED;
import static io.quiesce.api.LifecycleState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.StateTransition;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** shutdown() before start, during startup and after a failed startup. */
class ShutdownOutsideRunningTest {

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(10)));
  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final List<StateTransition> heard = new CopyOnWriteArrayList<>();

  @Test
  void shutdownBeforeStartEndsStoppedAtOnceWithAnEmptyReport() {
    lifecycle.onTransition(heard::add);
    RecordingService store = RecordingService.instant("store", journal);
    lifecycle.register(store);
    AtomicInteger callbackRuns = new AtomicInteger();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      callbackRuns.incrementAndGet();
      return Future.succeededFuture();
    });

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(heard).extracting(StateTransition::from, StateTransition::to)
        .containsExactly(tuple(INITIALIZING, STOPPING), tuple(STOPPING, STOPPED));
    ShutdownReport report = done.result();
    assertThat(report.reason()).isEqualTo(ShutdownReason.MANUAL);
    assertThat(report.phases()).isEmpty();
    assertThat(report.cut()).isEmpty();
    assertThat(report.failures()).isEmpty();
    assertThat(report.clean()).isTrue();
    assertThat(callbackRuns).as("nothing started, nothing to save").hasValue(0);
    assertThat(journal).isEmpty();
    assertThat(lifecycle.start().cause()).isInstanceOf(IllegalTransitionException.class);
    assertThat(journal).isEmpty();
  }

  @Test
  void shutdownDuringStartupTakesEffectOnceTheServiceNowStartingHasStarted() {
    RecordingService queues = RecordingService.instant("queues", journal);
    RecordingService blobs = RecordingService.held("blobs", journal);
    blobs.stop.complete();
    RecordingService tables = RecordingService.instant("tables", journal);
    lifecycle.register(queues);
    lifecycle.register(blobs);
    lifecycle.register(tables);
    Future<Void> started = lifecycle.start();
    assertThat(journal).containsExactly("start queues", "start blobs");

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.SIGNAL);
    assertThat(done.isComplete()).isFalse();
    assertThat(lifecycle.state()).isEqualTo(STARTING);
    lifecycle.onTransition(heard::add);

    blobs.start.complete();

    assertThat(journal).containsExactly("start queues", "start blobs", "stop blobs", "stop queues");
    assertThat(tables.startCalls()).isZero();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(heard).extracting(StateTransition::from, StateTransition::to)
        .containsExactly(tuple(STARTING, STOPPING), tuple(STOPPING, STOPPED));
    assertThat(started.cause()).isInstanceOf(StartupAbortedException.class).hasMessageContaining("SIGNAL");
    assertThat(done.result().reason()).isEqualTo(ShutdownReason.SIGNAL);
    assertThat(done.result().cut()).isEmpty();
    assertThat(lifecycle.services().statuses()).containsEntry("tables", ServiceStatus.NEW)
        .containsEntry("blobs", ServiceStatus.STOPPED).containsEntry("queues", ServiceStatus.STOPPED);
    assertThat(lifecycle.tracker().tryEnter()).as("work never admitted").isFalse();
  }

  @Test
  void shutdownRequestedWhileTheLastServiceStartsStillStopsEverything() {
    RecordingService queues = RecordingService.instant("queues", journal);
    RecordingService last = RecordingService.held("last", journal);
    last.stop.complete();
    lifecycle.register(queues);
    lifecycle.register(last);
    Future<Void> started = lifecycle.start();

    lifecycle.shutdown(ShutdownReason.MANUAL);
    last.start.complete();

    assertThat(journal).containsExactly("start queues", "start last", "stop last", "stop queues");
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(started.cause()).isInstanceOf(StartupAbortedException.class);
  }

  @Test
  void shutdownDuringStartupWhenTheStartingServiceFailsEndsFailedAndStillCompletes() {
    RecordingService queues = RecordingService.instant("queues", journal);
    RecordingService broken = RecordingService.held("broken", journal);
    lifecycle.register(queues);
    lifecycle.register(broken);
    Future<Void> started = lifecycle.start();
    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);

    IllegalStateException boom = new IllegalStateException("cannot bind");
    broken.start.fail(boom);

    assertThat(lifecycle.state()).isEqualTo(FAILED);
    assertThat(journal).containsExactly("start queues", "start broken", "stop queues");
    assertThat(started.cause()).isSameAs(boom);
    assertThat(done.isComplete()).isTrue();
    assertThat(done.result().reason()).isEqualTo(ShutdownReason.MANUAL);
  }

  @Test
  void shutdownAfterAFailedStartupReturnsAtOnce() {
    RecordingService queues = RecordingService.instant("queues", journal);
    lifecycle.register(queues);
    lifecycle.register(ManagedService.of("broken", () -> Future.failedFuture(new IllegalStateException("no")), Future::succeededFuture));
    lifecycle.start();
    assertThat(lifecycle.state()).isEqualTo(FAILED);
    journal.clear();
    lifecycle.onTransition(heard::add);

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThat(done.isComplete()).isTrue();
    assertThat(done.result().reason()).isEqualTo(ShutdownReason.MANUAL);
    assertThat(done.result().phases()).isEmpty();
    assertThat(lifecycle.state()).isEqualTo(FAILED);
    assertThat(heard).isEmpty();
    assertThat(journal).as("nothing stopped twice").isEmpty();
  }
}
