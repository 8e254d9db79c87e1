package io.quiesce.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command accepts, before or after the command's name: where the
 * configuration comes from. {@code start} passes them on to the instance it launches.
 */
public final class LaunchOptions {

  @Option(names = "--config", paramLabel = "PATH", scope = ScopeType.INHERIT,
      description = "YAML configuration file to load over the built-in defaults.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", scope = ScopeType.INHERIT,
      description = "Override one key, e.g. --set server.port=9000 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--print-config", scope = ScopeType.INHERIT,
      description = "Print the effective configuration and where each value came from, then exit.")
  boolean printConfig;

  public Optional<Path> config() {
    return Optional.ofNullable(config);
  }

  public List<String> overrides() {
    return List.copyOf(overrides);
  }

  public boolean printConfig() {
    return printConfig;
  }

  /** These options as arguments, for launching the same configuration in another process. */
  List<String> asArguments() {
    List<String> args = new ArrayList<>();
    config().ifPresent(path -> {
      args.add("--config");
      args.add(path.toAbsolutePath().toString());
    });
    for (String override : overrides) {
      args.add("--set");
      args.add(override);
    }
    return args;
  }
}
