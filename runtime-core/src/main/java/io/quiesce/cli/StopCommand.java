package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.process.BackgroundInstance;
import io.quiesce.process.StopOutcome;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stop the background instance: SIGTERM, then SIGKILL if need be.",
        "SIGKILL follows after the timeout. SIGTERM starts the graceful drain; SIGKILL is sent only if the process has not exited in time. "
        + "A PID that is not the instance 'start' launched (its start time differs) is never signalled."},
    footer = {"", "Exit codes: 0 stopped gracefully; 1 could not be stopped; 2 bad configuration or usage; "
        + "3 not running (no PID file); 4 stale PID file (the process was gone, or is another process; "
        + "the file is removed); 5 killed with SIGKILL after the timeout."})
final class StopCommand extends ControlCommand {

  /** Beyond the shutdown budget: the instance's own watchdog halts it 5 s after the budget. */
  static final Duration MARGIN = Duration.ofSeconds(10);

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Seconds to wait after SIGTERM before SIGKILL (default: server.shutdown_timeout + 10).")
  Long timeoutSeconds;

  @Override
  int call(LoadedConfig config) throws Exception {
    if (timeoutSeconds != null && timeoutSeconds < 0) {
      cli().err().println("--timeout must be 0 or more seconds, was " + timeoutSeconds);
      return io.quiesce.signal.ExitCodes.BAD_CONFIG;
    }
    return stop(cli(), config, timeoutSeconds).exitCode();
  }

  static StopOutcome stop(QuiesceCli cli, LoadedConfig config, Long timeoutSeconds) throws Exception {
    Duration timeout = timeoutSeconds != null
        ? Duration.ofSeconds(timeoutSeconds)
        : config.get(RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT).plus(MARGIN);
    return new BackgroundInstance(cli.name(), cli.stateFiles(config), cli.out(), cli.err()).stop(timeout);
  }
}
