package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.process.StopOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {"Stop the background instance if it runs, then start a new one.",
        "Stops as 'stop' does, then starts as 'start' does."},
    footer = {"", "Exit codes: those of start; 1 also when the old instance could not be stopped."})
final class RestartCommand extends ControlCommand {

  @Option(names = "--stop-timeout", paramLabel = "SECONDS",
      description = "Seconds to wait after SIGTERM before SIGKILL (default: server.shutdown_timeout + 10).")
  Long stopTimeoutSeconds;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the new instance to become ready (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  int call(LoadedConfig config) throws Exception {
    if (StopCommand.stop(cli(), config, stopTimeoutSeconds) == StopOutcome.FAILED) {
      cli().err().println("Not starting a new instance: the old one is still running");
      return 1;
    }
    return StartCommand.start(cli(), root.options, config, timeoutSeconds);
  }
}
