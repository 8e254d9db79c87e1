package io.quiesce.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.time.ManualClock;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signals, the JVM shutdown hook and the watchdog, against a fake JVM. The lifecycle runs on a
 * manual clock; only the watchdog waits in real time, by design, so its limits here are short.
 */
class SignalBridgeTest {

  private static final String WATCHDOG = "quiesce-shutdown-watchdog";

  private final ManualClock clock = new ManualClock();
  private final FakeJvm jvm = new FakeJvm();
  /** Completed after each test so that no shutdown (and no watchdog) is left running. */
  private final Promise<Void> heldCallback = Promise.promise();

  @AfterEach
  void releaseAnyHeldShutdown() {
    heldCallback.tryComplete();
  }

  @Test
  void installRoutesTermAndIntAndAddsOneShutdownHook() {
    SignalBridge bridge = bridge(running(Duration.ofSeconds(30)), Duration.ofSeconds(5));

    bridge.install();

    assertThat(jvm.signalHandlers).containsOnlyKeys("TERM", "INT");
    assertThat(jvm.shutdownHooks).hasSize(1);
    assertThat(jvm.shutdownHooks.get(0).getState()).as("handed over, not started").isEqualTo(Thread.State.NEW);
  }

  @Test
  void aSignalTheJvmRefusesIsSkippedAndTheRestIsStillInstalled() {
    FakeJvm refusing = new FakeJvm("INT");
    SignalBridge bridge = new SignalBridge(running(Duration.ofSeconds(30)), refusing, Duration.ofSeconds(5), refusing::flushLogs);

    bridge.install();

    assertThat(refusing.signalHandlers).containsOnlyKeys("TERM");
    assertThat(refusing.shutdownHooks).hasSize(1);
  }

  @Test
  void theFirstSignalStartsAGracefulShutdownWithReasonSignal() {
    LifecycleManager lifecycle = running(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();

    jvm.send("TERM");

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
    ShutdownReport report = lifecycle.whenStopped().result();
    assertThat(report.reason()).isEqualTo(ShutdownReason.SIGNAL);
    assertThat(report.clean()).isTrue();
    assertThat(jvm.halts).isEmpty();
  }

  @Test
  void sigintAlsoStartsAGracefulShutdown() {
    LifecycleManager lifecycle = running(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();

    jvm.send("INT");

    assertThat(lifecycle.whenStopped().result().reason()).isEqualTo(ShutdownReason.SIGNAL);
    assertThat(jvm.halts).isEmpty();
  }

  @Test
  void aSecondSignalDuringShutdownFlushesTheLogsThenHaltsWithOne() {
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();

    jvm.send("TERM");
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPING);
    assertThat(jvm.halts).isEmpty();

    jvm.send("INT");

    assertThat(jvm.halts).containsExactly(ExitCodes.FAILED);
    assertThat(jvm.journal).containsExactly("flush logs", "halt 1");
  }

  @Test
  void theShutdownHookDrivesAGracefulShutdownAndReturnsOnlyOnceStopped() throws Exception {
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();
    Thread hook = jvm.shutdownHooks.get(0);
    AtomicReference<LifecycleState> stateWhenHookReturned = new AtomicReference<>();
    Thread jvmExiting = new Thread(() -> {
      hook.run();
      stateWhenHookReturned.set(lifecycle.state());
    }, "jvm-exiting");

    jvmExiting.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> jvmExiting.getState() == Thread.State.TIMED_WAITING);
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPING);
    assertThat(jvmExiting.isAlive()).as("the hook waits for the shutdown").isTrue();
    assertThat(stateWhenHookReturned.get()).isNull();

    heldCallback.complete();
    jvmExiting.join(Duration.ofSeconds(10).toMillis());

    assertThat(jvmExiting.isAlive()).isFalse();
    assertThat(stateWhenHookReturned.get()).isEqualTo(LifecycleState.STOPPED);
    assertThat(lifecycle.whenStopped().result().reason()).isEqualTo(ShutdownReason.JVM_EXIT);
    assertThat(jvm.journal).as("logs flushed, never halted").containsExactly("flush logs");
  }

  @Test
  void theShutdownHookWaitsForAShutdownASignalAlreadyStarted() throws Exception {
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();
    jvm.send("TERM");
    Thread hook = jvm.shutdownHooks.get(0);

    hook.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> hook.getState() == Thread.State.TIMED_WAITING);
    heldCallback.complete();
    hook.join(Duration.ofSeconds(10).toMillis());

    assertThat(hook.isAlive()).isFalse();
    assertThat(lifecycle.whenStopped().result().reason()).as("one shutdown, the signal's").isEqualTo(ShutdownReason.SIGNAL);
    assertThat(jvm.halts).isEmpty();
  }

  @Test
  void theShutdownHookReturnsAtOnceWhenTheRuntimeHasAlreadyStopped() {
    LifecycleManager lifecycle = running(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();
    ShutdownReport report = lifecycle.shutdown(ShutdownReason.MANUAL).result();
    Set<Thread> watchdogsBefore = watchdogs();

    jvm.shutdownHooks.get(0).run();

    assertThat(lifecycle.whenStopped().result()).isSameAs(report);
    assertThat(watchdogs()).as("no watchdog started").isSubsetOf(watchdogsBefore);
    assertThat(jvm.halts).isEmpty();
  }

  @Test
  void theWatchdogHaltsWithOneWhenShutdownOverrunsItsBudget() {
    // Real time by design: 50 ms budget plus 50 ms grace; the manual clock never moves, so the
    // held callback is never cut and shutdown cannot finish.
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofMillis(50));
    bridge(lifecycle, Duration.ofMillis(50)).install();

    jvm.send("TERM");

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(jvm.halts).containsExactly(ExitCodes.FAILED));
    assertThat(jvm.journal).containsExactly("flush logs", "halt 1");
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPING);
  }

  @Test
  void theWatchdogStandsDownWhenShutdownFinishesInTime() throws Exception {
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();
    Set<Thread> before = watchdogs();

    jvm.send("TERM");
    Set<Thread> started = watchdogs().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
    assertThat(started).hasSize(1);
    heldCallback.complete();

    for (Thread watchdog : started) {
      watchdog.join(Duration.ofSeconds(10).toMillis());
      assertThat(watchdog.isAlive()).as("watchdog ended once shutdown completed").isFalse();
    }
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
    assertThat(jvm.halts).isEmpty();
  }

  @Test
  void oneWatchdogOnlyEvenWhenBothASignalAndTheHookStartShutdown() throws Exception {
    LifecycleManager lifecycle = runningWithHeldCallback(Duration.ofSeconds(30));
    bridge(lifecycle, Duration.ofSeconds(5)).install();
    Set<Thread> before = watchdogs();
    Thread hook = jvm.shutdownHooks.get(0);

    jvm.send("TERM");
    hook.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> hook.getState() == Thread.State.TIMED_WAITING);

    assertThat(watchdogs().stream().filter(t -> !before.contains(t))).hasSize(1);
    heldCallback.complete();
    hook.join(Duration.ofSeconds(10).toMillis());
    assertThat(jvm.halts).isEmpty();
  }

  private SignalBridge bridge(LifecycleManager lifecycle, Duration forceGrace) {
    return new SignalBridge(lifecycle, jvm, forceGrace, jvm::flushLogs);
  }

  private LifecycleManager running(Duration shutdownTimeout) {
    LifecycleManager lifecycle = new LifecycleManager(clock,
        new LifecyclePolicy(shutdownTimeout, Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(10)));
    assertThat(lifecycle.start().succeeded()).isTrue();
    return lifecycle;
  }

  /** Shutdown waits in its callback until the test completes {@link #heldCallback}. */
  private LifecycleManager runningWithHeldCallback(Duration shutdownTimeout) {
    LifecycleManager lifecycle = running(shutdownTimeout);
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "held", ctx -> heldCallback.future());
    return lifecycle;
  }

  private static Set<Thread> watchdogs() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(WATCHDOG) && t.isAlive())
        .collect(Collectors.toSet());
  }
}
