package io.quiesce.http;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.cli.QuiesceCli;
import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.lifecycle.StartupAbortedException;
import io.quiesce.logging.StartupFailure;
import io.quiesce.process.PidFile;
import io.quiesce.process.ShutdownRecord;
import io.quiesce.process.StateFiles;
import io.quiesce.signal.ExitCodes;
import io.quiesce.signal.JvmHooks;
import io.quiesce.signal.SignalBridge;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The {@code run} command: the runtime in the foreground until SIGTERM/SIGINT, then the exit code
 * from its shutdown report. Internal: emulators call {@code QuiesceApplication.run(args)}.
 */
public final class Foreground {

  private static final Logger LOG = LogManager.getLogger(Foreground.class);
  /** How long past shutdown_timeout the watchdog waits before halting a stuck process. */
  private static final Duration FORCE_GRACE = Duration.ofSeconds(5);
  /** The longest wait for the shutdown event and for Vert.x to close, whatever is left of the budget. */
  private static final Duration TAIL_LIMIT = Duration.ofSeconds(5);

  private Foreground() {}

  /**
   * Runs the runtime in this process until it is stopped (signals installed), keeps the shutdown
   * report, and returns the exit code; the very last thing it does is stop logging.
   */
  public static int run(Launcher launcher, ConfigRequest request) {
    AtomicReference<RuntimeInstance> assembled = new AtomicReference<>();
    RuntimeInstance runtime;
    try {
      runtime = Launcher.await(launcher.launch(request, rt -> {
        assembled.set(rt);
        new SignalBridge(rt.lifecycle(), JvmHooks.SYSTEM, FORCE_GRACE, LogManager::shutdown).install();
        rt.reloader().installOn(JvmHooks.SYSTEM);
      }), Duration.ofDays(3650));
    } catch (ConfigException e) {
      QuiesceCli.reportConfigProblems(e, System.err);
      return ExitCodes.BAD_CONFIG;
    } catch (StartupAbortedException e) {
      // Stopped by a signal while starting: not a failure, the shutdown report decides.
      return exit(awaitReport(assembled.get()), null, Duration.ZERO);
    } catch (Exception e) {
      // One line for what the user can fix (a taken port, an unusable directory); a bug keeps its trace.
      RuntimeSettings s = assembled.get() == null ? null : assembled.get().settings();
      StartupFailure.oneLine(e, s == null ? null : s.host(), s == null ? 0 : s.port()).ifPresentOrElse(
          line -> LOG.error("Startup failed: {}", line), () -> LOG.error("Startup failed: {}", e.getMessage(), e));
      return exit(ExitCodes.FAILED, null, Duration.ZERO);
    }
    int code = awaitReport(runtime);
    // What follows the sequence (the shutdown event, closing Vert.x) gets what is left of
    // shutdown_timeout, the margin the sequence kept for it, and no more: the process is gone
    // within shutdown_timeout of the signal, also when the sequence was forced to its end.
    Instant deadline = runtime.lifecycle().whenStopped().result().startedAt().plus(runtime.settings().shutdownTimeout());
    try {
      // The shutdown event goes out before Vert.x closes; bounded, a stuck transport never holds the exit.
      Launcher.await(runtime.events().whenClosed(), left(deadline));
    } catch (Exception e) {
      LOG.warn("Events did not close within shutdown_timeout: {}", e.toString());
    }
    return exit(code, runtime.vertx(), left(deadline));
  }

  /** Time left until {@code deadline}, at most {@link #TAIL_LIMIT}; zero once it has passed. */
  private static Duration left(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left.compareTo(TAIL_LIMIT) > 0 ? TAIL_LIMIT : left;
  }

  /** Waits for the shutdown report, keeps it in the state directory, and gives the exit code. */
  private static int awaitReport(RuntimeInstance runtime) {
    try {
      ShutdownReport report = Launcher.await(runtime.lifecycle().whenStopped(), Duration.ofDays(3650));
      StateFiles files = StateFiles.from(runtime.settings());
      ShutdownRecord.writeIfStateDirExists(files, report);
      releasePidFile(files);
      if (report.reason().equals(ShutdownReason.RESTART)) {
        return ExitCodes.RESTART; // asked to restart: the supervisor starts us again, whatever the drain's outcome
      }
      return report.clean() ? ExitCodes.CLEAN : ExitCodes.FAILED;
    } catch (Exception e) {
      LOG.error("Shutdown did not complete", e);
      return ExitCodes.FAILED;
    }
  }

  // The very last steps of the process: close Vert.x (never from an event loop), say goodbye,
  // then stop logging — nothing may log after this.
  private static int exit(int code, Vertx vertx, Duration limit) {
    if (vertx != null) {
      try {
        Launcher.await(vertx.close(), limit);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close within shutdown_timeout: {}", e.toString());
      }
    }
    LOG.info("Exiting with code {}", code);
    LogManager.shutdown();
    return code;
  }

  /** A background instance removes its own PID file on its way out, so status then says "not running". */
  private static void releasePidFile(StateFiles files) {
    try {
      new PidFile(files.pidFile()).deleteIfNames(ProcessHandle.current().pid());
    } catch (IOException e) {
      LOG.warn("Could not remove the PID file {}: {}", files.pidFile(), e.toString());
    }
  }

}
