package io.quiesce.lifecycle;

import static io.quiesce.api.LifecycleState.DRAINING;
import static io.quiesce.api.LifecycleState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.time.Deadline;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The drain step of shutdown: delay, refusing, waiting for in-flight work within its bounds. */
class ShutdownDrainTest {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

  private final ManualClock clock = new ManualClock();
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @Test
  void inFlightWorkHoldsTheDrainUntilItExits() {
    LifecycleManager lifecycle = running(Duration.ZERO);
    WorkTracker tracker = lifecycle.tracker();
    assertThat(tracker.tryEnter()).isTrue();
    assertThat(tracker.tryEnter()).isTrue();
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      journal.add("callback");
      return Future.succeededFuture();
    });

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(lifecycle.state()).isEqualTo(DRAINING);
    assertThat(tracker.tryEnter()).as("new work refused once refusing").isFalse();

    clock.advance(Duration.ofSeconds(3));
    tracker.exit();
    assertThat(journal).isEmpty();
    assertThat(lifecycle.state()).isEqualTo(DRAINING);

    clock.advance(Duration.ofSeconds(2));
    tracker.exit();

    assertThat(journal).containsExactly("callback");
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    ShutdownReport report = done.result();
    assertThat(report.clean()).isTrue();
    assertThat(report.total()).isEqualTo(Duration.ofSeconds(5));
    ShutdownReport.Phase draining = report.phases().get(3);
    assertThat(draining.name()).isEqualTo("drain_requests");
    assertThat(draining.inFlightAtStart()).isEqualTo(2);
    assertThat(draining.inFlightAtEnd()).isZero();
    assertThat(draining.took()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void inFlightWorkThatOutlastsTheDrainTimeoutIsCutAndTheSequenceGoesOn() {
    LifecycleManager lifecycle = running(Duration.ZERO);
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      journal.add("callback");
      return Future.succeededFuture();
    });
    assertThat(lifecycle.tracker().tryEnter()).isTrue();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(DRAIN_TIMEOUT.minusMillis(1));
    assertThat(lifecycle.state()).isEqualTo(DRAINING);
    assertThat(journal).isEmpty();

    clock.advance(Duration.ofMillis(1));

    assertThat(journal).containsExactly("callback");
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    ShutdownReport report = done.result();
    assertThat(report.forced()).isTrue();
    assertThat(report.cut()).singleElement().satisfies(c -> assertThat(c).contains("1 request(s) still in flight"));
    assertThat(report.phases().get(3).inFlightAtStart()).isEqualTo(1);
    assertThat(report.phases().get(3).inFlightAtEnd()).isEqualTo(1);
  }

  @Test
  void theDrainDelayKeepsAdmittingWorkUntilItPassesThenRefuses() {
    Duration drainDelay = Duration.ofSeconds(5);
    LifecycleManager lifecycle = running(drainDelay);
    WorkTracker tracker = lifecycle.tracker();

    lifecycle.shutdown(ShutdownReason.SIGNAL);
    assertThat(lifecycle.state()).isEqualTo(DRAINING);
    assertThat(tracker.isDraining()).isTrue();
    assertThat(tracker.tryEnter()).as("admitted at the start of the delay").isTrue();
    tracker.exit();

    clock.advance(drainDelay.minusMillis(1));
    assertThat(tracker.tryEnter()).as("admitted just before the delay ends").isTrue();
    assertThat(lifecycle.state()).isEqualTo(DRAINING);

    clock.advance(Duration.ofMillis(1));
    assertThat(tracker.tryEnter()).as("refused once the delay has passed").isFalse();
    assertThat(lifecycle.state()).as("the work admitted during the delay holds the drain").isEqualTo(DRAINING);

    tracker.exit();
    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    ShutdownReport report = lifecycle.whenStopped().result();
    assertThat(report.clean()).isTrue();
    assertThat(report.total()).isEqualTo(drainDelay);
  }

  @Test
  void theDrainTimeoutIsCappedByWhatIsLeftOfTheShutdownBudget() {
    Duration shortBudget = Duration.ofSeconds(8);
    LifecycleManager lifecycle = new LifecycleManager(clock,
        new LifecyclePolicy(shortBudget, Duration.ofSeconds(5), DRAIN_TIMEOUT, Duration.ofSeconds(10)));
    lifecycle.start();
    assertThat(lifecycle.tracker().tryEnter()).isTrue();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(shortBudget);

    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(done.result().total()).isEqualTo(shortBudget);
    assertThat(done.result().forced()).isTrue();
  }

  @Test
  void drainSubscribersAreToldAsSoonAsShutdownBegins() {
    LifecycleManager lifecycle = running(Duration.ofSeconds(5));
    AtomicInteger told = new AtomicInteger();
    lifecycle.tracker().onDrain(told::incrementAndGet);

    lifecycle.shutdown(ShutdownReason.MANUAL);

    assertThat(told).as("during the drain delay, before refusing").hasValue(1);
    assertThat(lifecycle.tracker().phase()).isEqualTo(WorkTracker.Phase.DRAINING);
    clock.advance(Duration.ofSeconds(5));
    assertThat(told).hasValue(1);
  }

  @Test
  void aDrainTaskHoldsTheDrainAndIsToldTheDrainDeadline() {
    LifecycleManager lifecycle = running(Duration.ZERO);
    Promise<Void> listenerClosed = Promise.promise();
    AtomicReference<Deadline> told = new AtomicReference<>();
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "http-listener", (ShutdownContext ctx) -> task(ctx.deadline(), deadline -> {
      told.set(deadline);
      return listenerClosed.future();
    }));

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(told.get().remaining()).as("the drain timeout, less the 50 ms kept to finish what a task forces")
        .isEqualTo(DRAIN_TIMEOUT.minusMillis(50));
    clock.advance(Duration.ofSeconds(1));
    assertThat(lifecycle.state()).isEqualTo(DRAINING);

    listenerClosed.complete();

    assertThat(done.result().clean()).isTrue();
  }

  @Test
  void aDrainTaskThatNeverFinishesIsCutByName() {
    LifecycleManager lifecycle = running(Duration.ZERO);
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "http-listener", (ShutdownContext ctx) -> task(ctx.deadline(), deadline -> Promise.<Void>promise().future()));

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(DRAIN_TIMEOUT);

    assertThat(lifecycle.state()).isEqualTo(STOPPED);
    assertThat(done.result().cut()).singleElement().satisfies(c -> assertThat(c).contains("http-listener"));
  }

  @Test
  void aDrainTaskThatFailsIsReportedAsAFailure() {
    LifecycleManager lifecycle = running(Duration.ZERO);
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "http-listener", (ShutdownContext ctx) -> task(ctx.deadline(), deadline -> Future.failedFuture(new IllegalStateException("close failed"))));

    ShutdownReport report = lifecycle.shutdown(ShutdownReason.MANUAL).result();

    assertThat(report.failures()).singleElement().satisfies(f -> assertThat(f).contains("http-listener").contains("close failed"));
    assertThat(report.forced()).isFalse();
  }

  private LifecycleManager running(Duration drainDelay) {
    LifecycleManager lifecycle = new LifecycleManager(clock,
        new LifecyclePolicy(SHUTDOWN_TIMEOUT, drainDelay, DRAIN_TIMEOUT, Duration.ofSeconds(10)));
    assertThat(lifecycle.start().succeeded()).isTrue();
    return lifecycle;
  }

  private static Future<Void> task(Deadline deadline, java.util.function.Function<Deadline, Future<Void>> drain) {
    return drain.apply(deadline);
  }
}
