package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.process.BackgroundInstance;
import io.quiesce.process.JavaCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Start in the background; return once /_quiesce/health/ready answers 200.",
        "Launches the same java command line with 'run', its output appended to process.log_file and its PID "
        + "written to process.pid_file. A PID file naming the running instance refuses the start; one naming a "
        + "process that is gone, or another process (stale), is reported and replaced."},
    footer = {"", "Exit codes: 0 started and ready; 1 already running, or it exited or was not ready in time "
        + "(it is then stopped, and the log's last lines are shown); 2 bad configuration or usage."})
final class StartCommand extends ControlCommand {

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the instance to become ready (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  int call(LoadedConfig config) throws Exception {
    return start(cli(), root.options, config, timeoutSeconds);
  }

  static int start(QuiesceCli cli, LaunchOptions options, LoadedConfig config, long timeoutSeconds) throws Exception {
    if (timeoutSeconds <= 0) {
      cli.err().println("--timeout must be a positive number of seconds, was " + timeoutSeconds);
      return io.quiesce.signal.ExitCodes.BAD_CONFIG;
    }
    List<String> runArgs = new ArrayList<>(options.asArguments());
    runArgs.add("run");
    BackgroundInstance instance = new BackgroundInstance(cli.name(), cli.stateFiles(config), cli.out(), cli.err());
    return instance.start(JavaCommand.relaunch(runArgs), Duration.ofSeconds(timeoutSeconds));
  }
}
