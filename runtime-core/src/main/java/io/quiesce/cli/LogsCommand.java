package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.process.LogTail;
import io.quiesce.signal.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Print the end of the background instance's log file.", "The file is process.log_file."},
    footer = {"", "Exit codes: 0 printed; 1 no log file; 2 bad configuration or usage. "
        + "With --follow, runs until interrupted."})
final class LogsCommand extends ControlCommand {

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50",
      description = "How many lines from the end to print (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until interrupted (Ctrl-C).")
  boolean follow;

  @Override
  int call(LoadedConfig config) throws Exception {
    if (lines < 0) {
      cli().err().println("-n must be 0 or more lines, was " + lines);
      return ExitCodes.BAD_CONFIG;
    }
    Path log = cli().stateFiles(config).logFile();
    if (!Files.exists(log)) {
      cli().err().println("No log file at " + log + " (a background instance writes it; see 'start')");
      return ExitCodes.FAILED;
    }
    long end = Files.size(log);
    LogTail.lastLines(log, lines, end).forEach(cli().out()::println);
    cli().out().flush();
    if (follow) {
      LogTail.follow(log, end, cli().out());
    }
    return ExitCodes.CLEAN;
  }
}
