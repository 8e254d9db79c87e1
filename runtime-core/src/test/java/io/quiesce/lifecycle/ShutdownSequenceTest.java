package io.quiesce.lifecycle;

import static io.quiesce.api.LifecycleState.DRAINING;
import static io.quiesce.api.LifecycleState.RUNNING;
import static io.quiesce.api.LifecycleState.STOPPED;
import static io.quiesce.api.LifecycleState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.StateTransition;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** shutdown() from RUNNING: run once, in order, within one budget, always ending STOPPED. */
class ShutdownSequenceTest {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(SHUTDOWN_TIMEOUT, Duration.ZERO, Duration.ofSeconds(20), STOP_TIMEOUT));
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @Test
  void twoCallersGetTheSameFutureAndTheSameReportAndTheSequenceRunsOnce() {
    AtomicInteger callbackRuns = new AtomicInteger();
    Promise<Void> callback = Promise.promise();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      callbackRuns.incrementAndGet();
      return callback.future();
    });
    start();

    Future<ShutdownReport> first = lifecycle.shutdown(ShutdownReason.MANUAL);
    Future<ShutdownReport> second = lifecycle.shutdown(ShutdownReason.SIGNAL);
    assertThat(second).isSameAs(first);
    assertThat(first.isComplete()).isFalse();

    callback.complete();

    assertThat(first.result()).isSameAs(second.result()).isSameAs(lifecycle.whenStopped().result());
    assertThat(first.result().reason()).as("the first reason wins").isEqualTo(ShutdownReason.MANUAL);
    assertThat(callbackRuns).hasValue(1);
    assertThat(lifecycle.shutdown(ShutdownReason.ERROR).result()).as("after STOPPED too").isSameAs(first.result());
  }

  @Test
  void concurrentCallersFromManyThreadsAllGetTheOneReport() throws Exception {
    AtomicInteger callbackRuns = new AtomicInteger();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      callbackRuns.incrementAndGet();
      return Future.succeededFuture();
    });
    RecordingService store = RecordingService.instant("store", journal);
    lifecycle.register(store);
    start();

    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<java.util.concurrent.Future<ShutdownReport>> reports = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        reports.add(pool.submit(() -> {
          go.await();
          return lifecycle.shutdown(ShutdownReason.MANUAL).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }));
      }
      go.countDown();
      ShutdownReport one = reports.get(0).get(10, TimeUnit.SECONDS);
      for (java.util.concurrent.Future<ShutdownReport> r : reports) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isSameAs(one);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(callbackRuns).hasValue(1);
    assertThat(store.stopCalls()).isOne();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
  }

  @Test
  void movesRunningDrainingStoppingStoppedAndReportsEachPhase() {
    List<StateTransition> heard = new CopyOnWriteArrayList<>();
    start();
    lifecycle.onTransition(heard::add);

    ShutdownReport report = lifecycle.shutdown(ShutdownReason.SIGNAL).result();

    assertThat(heard).extracting(StateTransition::from).containsExactly(RUNNING, DRAINING, STOPPING);
    assertThat(heard).extracting(StateTransition::to).containsExactly(DRAINING, STOPPING, STOPPED);
    assertThat(report.reason()).isEqualTo(ShutdownReason.SIGNAL);
    assertThat(report.clean()).isTrue();
    assertThat(report.forced()).isFalse();
    assertThat(report.cut()).isEmpty();
    assertThat(report.failures()).isEmpty();
    assertThat(report.phases()).extracting(ShutdownReport.Phase::name).containsExactly("readiness_down", "drain_delay", "unbind", "drain_requests", "before_stop", "stop_services");
  }

  @Test
  void stopsServicesInReverseStartOrder() {
    for (String name : List.of("queues", "blobs", "tables")) {
      lifecycle.register(RecordingService.instant(name, journal));
    }
    start();
    journal.clear();

    lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThat(journal).containsExactly("stop tables", "stop blobs", "stop queues");
    assertThat(lifecycle.services().statuses()).allSatisfy((name, status) -> assertThat(status).isEqualTo(ServiceStatus.STOPPED));
  }

  @Test
  void waitsForEachServiceStopBeforeStoppingTheNext() {
    RecordingService first = RecordingService.held("first", journal);
    RecordingService second = RecordingService.held("second", journal);
    first.start.complete();
    second.start.complete();
    lifecycle.register(first);
    lifecycle.register(second);
    start();
    journal.clear();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(journal).containsExactly("stop second");

    second.stop.complete();
    assertThat(journal).containsExactly("stop second", "stop first");
    assertThat(done.isComplete()).isFalse();

    first.stop.complete();
    assertThat(done.result().clean()).isTrue();
  }

  @Test
  void callbacksRunInRegistrationOrderAfterTheDrainAndBeforeTheServicesStop() {
    lifecycle.register(RecordingService.instant("store", journal));
    Promise<Void> firstDone = Promise.promise();
    Promise<Void> secondDone = Promise.promise();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "first", ctx -> {
      journal.add("callback first, in flight " + lifecycle.tracker().inFlight());
      return firstDone.future();
    });
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "second", ctx -> {
      journal.add("callback second");
      return secondDone.future();
    });
    start();
    journal.clear();
    assertThat(lifecycle.tracker().tryEnter()).isTrue();

    lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(journal).as("nothing runs while work is in flight").isEmpty();
    assertThat(lifecycle.state()).isEqualTo(DRAINING);

    lifecycle.tracker().exit();
    assertThat(journal).containsExactly("callback first, in flight 0");
    assertThat(lifecycle.state()).isEqualTo(STOPPING);

    firstDone.complete();
    assertThat(journal).containsExactly("callback first, in flight 0", "callback second");

    secondDone.complete();
    assertThat(journal).containsExactly("callback first, in flight 0", "callback second", "stop store");
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
  }

  @Test
  void callbacksAreToldTheReasonAndTheTimeLeftWhichShrinksAsTimePasses() {
    List<ShutdownContext> contexts = new CopyOnWriteArrayList<>();
    List<Duration> remainingAtCall = new CopyOnWriteArrayList<>();
    Promise<Void> firstDone = Promise.promise();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "first", ctx -> {
      contexts.add(ctx);
      remainingAtCall.add(ctx.remaining());
      return firstDone.future();
    });
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "second", ctx -> {
      contexts.add(ctx);
      remainingAtCall.add(ctx.remaining());
      return Future.succeededFuture();
    });
    start();

    lifecycle.shutdown(ShutdownReason.TIMEOUT);
    ShutdownContext firstContext = contexts.get(0);
    assertThat(firstContext.reason()).isEqualTo(ShutdownReason.TIMEOUT);
    // Tasks are told a deadline 50 ms before the budget's end, to finish what they force in time.
    assertThat(firstContext.remaining()).isEqualTo(SHUTDOWN_TIMEOUT.minusMillis(50));

    clock.advance(Duration.ofSeconds(4));
    assertThat(firstContext.remaining()).isEqualTo(Duration.ofSeconds(26).minusMillis(50));

    clock.advance(Duration.ofSeconds(3));
    firstDone.complete();

    assertThat(contexts).extracting(ShutdownContext::reason).containsOnly(ShutdownReason.TIMEOUT);
    assertThat(remainingAtCall).containsExactly(SHUTDOWN_TIMEOUT.minusMillis(50), Duration.ofSeconds(23).minusMillis(50));
    assertThat(lifecycle.whenStopped().result().total()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aFailingCallbackIsReportedAndTheRestOfTheSequenceStillRuns() {
    RecordingService store = RecordingService.instant("store", journal);
    lifecycle.register(store);
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "flush-journal", ctx -> Future.failedFuture(new IllegalStateException("disk full")));
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save-snapshot", ctx -> {
      throw new IllegalStateException("snapshot bug");
    });
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "close-index", ctx -> {
      journal.add("callback close-index");
      return Future.succeededFuture();
    });
    start();
    journal.clear();

    ShutdownReport report = lifecycle.shutdown(ShutdownReason.MANUAL).result();

    assertThat(journal).containsExactly("callback close-index", "stop store");
    assertThat(report.failures()).hasSize(2);
    assertThat(report.failures().get(0)).contains("flush-journal").contains("disk full");
    assertThat(report.failures().get(1)).contains("save-snapshot").contains("snapshot bug");
    assertThat(report.forced()).as("failing within time is not a cut").isFalse();
    assertThat(report.cut()).isEmpty();
    assertThat(report.clean()).isFalse();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
  }

  @Test
  void aCallbackThatNeverCompletesIsCutWhenTheBudgetRunsOutAndEverythingLeftIsNamed() {
    RecordingService queues = RecordingService.held("queue-store", journal);
    RecordingService blobs = RecordingService.held("blob-store", journal);
    queues.start.complete(); // they start at once, and their stops never end
    blobs.start.complete();
    lifecycle.register(queues);
    lifecycle.register(blobs);
    AtomicInteger lastCallbackRuns = new AtomicInteger();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "flush-journal", ctx -> Future.succeededFuture());
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "stuck-snapshot", ctx -> Promise.<Void>promise().future());
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "close-index", ctx -> {
      lastCallbackRuns.incrementAndGet();
      return Future.succeededFuture();
    });
    start();
    journal.clear();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(SHUTDOWN_TIMEOUT.minusMillis(1));
    assertThat(done.isComplete()).isFalse();
    assertThat(lifecycle.state()).isEqualTo(STOPPING);

    clock.advance(Duration.ofMillis(1));

    ShutdownReport report = done.result();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(report.forced()).isTrue();
    assertThat(report.clean()).isFalse();
    assertThat(report.total()).isEqualTo(SHUTDOWN_TIMEOUT);
    assertThat(report.cut()).hasSize(4);
    assertThat(report.cut().get(0)).contains("stuck-snapshot");
    assertThat(report.cut().get(1)).contains("close-index").contains("not run");
    assertThat(report.cut().get(2)).contains("blob-store").contains("not run");
    assertThat(report.cut().get(3)).contains("queue-store").contains("not run");
    assertThat(report.cut()).noneSatisfy(c -> assertThat(c).contains("flush-journal"));
    assertThat(lastCallbackRuns).hasValue(0);
    // Out of budget, nothing more starts: the services are not told to stop, and the report says so.
    assertThat(queues.stopCalls()).isZero();
    assertThat(blobs.stopCalls()).isZero();
    assertThat(report.failures()).isEmpty();
  }

  @Test
  void aServiceStopThatHangsIsCutAfterTheStopTimeoutAndTheNextServiceStillStops() {
    RecordingService first = RecordingService.instant("first", journal);
    RecordingService hanging = RecordingService.held("hanging", journal);
    hanging.start.complete();
    lifecycle.register(first);
    lifecycle.register(hanging);
    start();
    journal.clear();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(journal).containsExactly("stop hanging");

    clock.advance(STOP_TIMEOUT);

    assertThat(journal).containsExactly("stop hanging", "stop first");
    ShutdownReport report = done.result();
    assertThat(report.forced()).isTrue();
    assertThat(report.cut()).singleElement().satisfies(c -> assertThat(c).contains("hanging"));
    assertThat(lifecycle.services().statuses()).containsEntry("hanging", ServiceStatus.FAILED).containsEntry("first", ServiceStatus.STOPPED);
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
  }

  @Test
  void aServiceThatFailsToStopIsReportedAndTheOthersStillStop() {
    RecordingService first = RecordingService.instant("first", journal);
    RecordingService failing = RecordingService.held("failing", journal);
    failing.start.complete();
    failing.stop.fail(new IllegalStateException("socket stuck"));
    lifecycle.register(first);
    lifecycle.register(failing);
    start();

    ShutdownReport report = lifecycle.shutdown(ShutdownReason.MANUAL).result();

    assertThat(first.stopCalls()).isOne();
    assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f).contains("failing").contains("socket stuck"));
    assertThat(report.forced()).isFalse();
    assertThat(report.clean()).isFalse();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
  }

  @Test
  void aServiceStopIsBoundedByWhatIsLeftOfTheBudgetWhenThatIsShorterThanTheStopTimeout() {
    RecordingService hanging = RecordingService.held("hanging", journal);
    hanging.start.complete();
    lifecycle.register(hanging);
    Promise<Void> slowCallback = Promise.promise();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "slow", ctx -> slowCallback.future());
    start();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(SHUTDOWN_TIMEOUT.minusSeconds(2));
    slowCallback.complete(); // 2 s left, stop timeout is 10 s

    clock.advance(Duration.ofSeconds(2));

    assertThat(done.isComplete()).isTrue();
    assertThat(done.result().total()).isEqualTo(SHUTDOWN_TIMEOUT);
    assertThat(done.result().cut()).singleElement().satisfies(c -> assertThat(c).contains("hanging"));
  }

  private void start() {
    assertThat(lifecycle.start().succeeded()).isTrue();
    assertThat(lifecycle.state()).isEqualTo(RUNNING);
  }
}
