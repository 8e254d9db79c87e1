package io.quiesce.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    // The first paragraph is the one line the command list shows; picocli wraps each paragraph.
    description = {"Run in the foreground until SIGTERM or Ctrl-C, then drain and exit.",
        "The default command. Logs go to the console. SIGHUP reloads what can change at run time (log.level, health thresholds, hooks)."},
    footer = {"", "Exit codes: 0 clean shutdown; 1 failed start or forced shutdown; 2 bad configuration or usage; "
        + "75 shut down for a group restart (start me again)."})
final class RunCommand implements Callable<Integer> {

  @ParentCommand
  QuiesceCli.Root root;

  @Override
  public Integer call() {
    return run(root);
  }

  static int run(QuiesceCli.Root root) {
    if (root.options.printConfig()) {
      return root.printConfig();
    }
    return root.cli.app().runForeground(root.cli.request(root.options));
  }
}
