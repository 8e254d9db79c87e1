package io.quiesce.hooks;

import java.util.List;

/**
 * One hook: the argument vector it is started with (never through a shell) and where it was
 * configured, for logs.
 *
 * @param argv the executable (as resolved at startup) followed by its arguments
 * @param source {@code hooks.on_start[1]} or the file's path in a hook folder
 */
public record HookCommand(List<String> argv, String source) {

  public HookCommand {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a hook needs an executable");
    }
  }

  /** The argument vector as one line, for logs. */
  public String display() {
    return String.join(" ", argv);
  }
}
