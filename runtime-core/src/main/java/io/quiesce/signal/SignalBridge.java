package io.quiesce.signal;

import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.lifecycle.LifecycleManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Turns the ways a process is told to stop into one graceful shutdown.
 *
 * <ul>
 *   <li>First SIGTERM or SIGINT: graceful shutdown with reason SIGNAL.
 *   <li>Second signal while shutting down: the logs are flushed and the process halts with
 *       {@link ExitCodes#FAILED}. A JVM already running its shutdown hooks cannot exit again, so
 *       halting is the only way to force.
 *   <li>The JVM exiting by another path (System.exit elsewhere): the shutdown hook runs the same
 *       graceful path and waits for it, so nothing is cut short silently.
 *   <li>A watchdog halts the process if shutdown has not finished {@code forceGrace} after its
 *       budget ran out — a callback stuck in blocking code must not hang the process.
 * </ul>
 */
public final class SignalBridge {

  private static final Logger LOG = LogManager.getLogger(SignalBridge.class);

  private final LifecycleManager lifecycle;
  private final JvmHooks jvm;
  private final Duration forceGrace;
  private final Runnable flushLogs;
  private final AtomicInteger signals = new AtomicInteger();
  private final AtomicInteger watchdogs = new AtomicInteger();

  /**
   * @param forceGrace how long past {@code shutdown_timeout} the watchdog waits before halting
   * @param flushLogs writes out buffered log lines; called before every halt
   */
  public SignalBridge(LifecycleManager lifecycle, JvmHooks jvm, Duration forceGrace, Runnable flushLogs) {
    this.lifecycle = lifecycle;
    this.jvm = jvm;
    this.forceGrace = forceGrace;
    this.flushLogs = flushLogs;
  }

  public void install() {
    for (String signal : new String[] {"TERM", "INT"}) {
      if (!jvm.onSignal(signal, () -> onSignal("SIG" + signal))) {
        LOG.debug("SIG{} cannot be handled in this process; it keeps its default behaviour", signal);
      }
    }
    jvm.addShutdownHook(new Thread(this::onJvmExit, "quiesce-shutdown-hook"));
  }

  /** What a signal does; public for tests that cannot send real signals. */
  public void onSignal(String name) {
    if (lifecycle.state() == io.quiesce.api.LifecycleState.STOPPED) {
      LOG.info("Received {} after shutdown completed; the process is already exiting", name);
      return;
    }
    if (signals.incrementAndGet() == 1) {
      LOG.info("Received {}: shutting down gracefully (send it again to force)", name);
      startWatchdog();
      lifecycle.shutdown(ShutdownReason.SIGNAL);
    } else {
      LOG.warn("Received {} again during shutdown: forcing exit now", name);
      halt();
    }
  }

  private void onJvmExit() {
    if (lifecycle.state().isTerminal()) {
      return;
    }
    LOG.info("JVM is exiting: running the graceful shutdown first");
    startWatchdog();
    Duration wait = lifecycle.policy().shutdownTimeout().plus(forceGrace);
    try {
      ShutdownReport report = lifecycle.shutdown(ShutdownReason.JVM_EXIT).await(wait.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Graceful shutdown from the JVM hook finished ({})", report.clean() ? "clean" : "forced");
    } catch (TimeoutException e) {
      LOG.error("Graceful shutdown did not finish within {} ms", wait.toMillis());
    } finally {
      flushLogs.run();
    }
  }

  private void startWatchdog() {
    if (watchdogs.getAndIncrement() > 0) {
      return;
    }
    Duration limit = lifecycle.policy().shutdownTimeout().plus(forceGrace);
    Thread watchdog = new Thread(() -> {
      try {
        lifecycle.whenStopped().await(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.error("Shutdown still running {} ms after it began (budget {} ms): forcing exit",
            limit.toMillis(), lifecycle.policy().shutdownTimeout().toMillis());
        halt();
      }
    }, "quiesce-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void halt() {
    try {
      flushLogs.run();
    } finally {
      jvm.halt(ExitCodes.FAILED);
    }
  }
}
