package io.quiesce.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line every Quiesce emulator accepts. */
@Command(
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Runs the emulator in the foreground until SIGTERM or Ctrl-C, then drains and exits.",
    footer = {
      "",
      "Configuration precedence: built-in defaults < --config file < QUIESCE_* environment < --set.",
      "Exit codes: 0 clean shutdown, 1 failed start or forced shutdown, 2 bad configuration or usage."
    })
public final class LaunchOptions {

  @Option(names = "--config", paramLabel = "PATH", description = "YAML configuration file to load over the built-in defaults.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key, e.g. --set server.port=9000 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--print-config", description = "Print the effective configuration and where each value came from, then exit.")
  boolean printConfig;

  public java.util.Optional<Path> config() {
    return java.util.Optional.ofNullable(config);
  }

  public List<String> overrides() {
    return List.copyOf(overrides);
  }

  public boolean printConfig() {
    return printConfig;
  }
}
