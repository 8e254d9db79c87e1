package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.signal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** A command that needs the validated configuration (for the state directory) before it acts. */
abstract class ControlCommand implements Callable<Integer> {

  @ParentCommand
  QuiesceCli.Root root;

  @Override
  public final Integer call() throws Exception {
    if (root.options.printConfig()) {
      return root.printConfig();
    }
    LoadedConfig config = root.cli.loadOrReport(root.options);
    if (config == null) {
      return ExitCodes.BAD_CONFIG;
    }
    return call(config);
  }

  abstract int call(LoadedConfig config) throws Exception;

  QuiesceCli cli() {
    return root.cli;
  }
}
