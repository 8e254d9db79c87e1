package io.quiesce.cli;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.EditDistance;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.process.StateFiles;
import io.quiesce.signal.ExitCodes;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The command line every Quiesce emulator gets: {@code run} (the default), {@code start},
 * {@code stop}, {@code restart}, {@code status}, {@code logs}, and the configuration options they
 * share. Usage errors exit {@link ExitCodes#BAD_CONFIG} (2), like configuration errors.
 */
public final class QuiesceCli {

  private final String name;
  private final String version;
  private final Map<String, Object> applicationDefaults;
  private final Launchable app;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final List<Object> tools;

  private static final Set<String> BUILT_IN_COMMANDS = Set.of("run", "start", "stop", "restart", "status", "logs");

  /**
   * @param applicationDefaults the emulator's own defaults, by key path
   * @param env the environment configuration is read from ({@code System.getenv()})
   * @param tools the emulator's extra picocli {@code @Command}s (e.g. the events tools), listed
   *     in {@code --help} beside the built-in commands
   */
  public QuiesceCli(String name, String version, Map<String, Object> applicationDefaults, Launchable app,
      Map<String, String> env, PrintStream out, PrintStream err, List<Object> tools) {
    this.tools = List.copyOf(tools);
    this.name = name;
    this.version = version;
    this.applicationDefaults = Map.copyOf(applicationDefaults);
    this.app = app;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Parses {@code args}, runs the command, returns the process exit code. */
  public int execute(String... args) {
    Optional<LaunchOptions> plainRun = RunArguments.parse(args, word -> commandNames().contains(word));
    if (plainRun.isPresent()) {
      Root root = new Root(this);
      root.options = plainRun.get();
      try {
        return RunCommand.run(root);
      } catch (Exception e) { // as picocli's execution exception handler below
        err.println(name + ": " + e);
        return ExitCodes.FAILED;
      }
    }
    return commandLine().execute(args);
  }

  /** The whole command line, parsed by picocli. */
  CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Root(this))
        .setCommandName(name)
        .setUsageHelpAutoWidth(true)
        .addSubcommand(new RunCommand())
        .addSubcommand(new StartCommand())
        .addSubcommand(new StopCommand())
        .addSubcommand(new RestartCommand())
        .addSubcommand(new StatusCommand())
        .addSubcommand(new LogsCommand());
    tools.forEach(cli::addSubcommand);
    cli
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler((e, ignored) -> {
          err.println(usageProblem(e));
          err.println("Try '" + name + " --help' for the commands and options.");
          return ExitCodes.BAD_CONFIG;
        })
        .setExecutionExceptionHandler((e, command, parsed) -> {
          err.println(name + ": " + e);
          return ExitCodes.FAILED;
        });
    cli.getCommandSpec().version(name + " " + version);
    return cli;
  }

  /**
   * A usage mistake in the user's words: picocli's "Unmatched argument at index 0" becomes the
   * unknown command it is (with the commands there are, or the one probably meant), or the
   * argument a command does not take.
   */
  private static String usageProblem(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
      return e.getMessage();
    }
    String word = unmatched.getUnmatched().get(0);
    CommandLine command = e.getCommandLine();
    if (word.startsWith("-")) {
      return e.getMessage(); // "Unknown option: '--verbose'" says it already
    }
    if (command.getParent() == null) {
      List<String> commands = List.copyOf(command.getSubcommands().keySet());
      // Two edits: a swapped pair of letters ("stauts") is the commonest slip.
      return "unknown command '" + word + "'"
          + EditDistance.closest(word, commands, 2).map(meant -> " (did you mean '" + meant + "'?)").orElse("")
          + "; commands: " + String.join(", ", commands);
    }
    return "'" + command.getCommandName() + "' takes no arguments, got '" + word + "'";
  }

  /** The built-in commands and the tools, by name: those of {@link #commandLine()}, without building it. */
  Set<String> commandNames() {
    Set<String> names = new HashSet<>(BUILT_IN_COMMANDS);
    for (Object tool : tools) {
      Command command = tool.getClass().getAnnotation(Command.class);
      if (command != null) {
        names.add(command.name());
        names.addAll(List.of(command.aliases()));
      }
    }
    return names;
  }

  String name() {
    return name;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Launchable app() {
    return app;
  }

  ConfigRequest request(LaunchOptions options) {
    return new ConfigRequest(options.config(), env, options.overrides(), applicationDefaults);
  }

  /**
   * The validated configuration, or null after reporting its problems (the caller exits 2).
   */
  LoadedConfig loadOrReport(LaunchOptions options) {
    try {
      LoadedConfig config = app.loadConfig(request(options));
      config.warnings().forEach(w -> err.println("warning: " + w));
      return config;
    } catch (ConfigException e) {
      reportConfigProblems(e, err);
      return null;
    } catch (Exception e) {
      err.println("Could not load the configuration: " + e);
      return null;
    }
  }

  StateFiles stateFiles(LoadedConfig config) {
    return StateFiles.from(RuntimeSettings.from(config));
  }

  String versionOf(LoadedConfig config) {
    return config.get(RuntimeKeys.SERVICE_VERSION);
  }

  /** Prints the problems of a configuration that was refused. */
  public static void reportConfigProblems(ConfigException e, PrintStream err) {
    err.println("Invalid configuration (nothing was started):");
    e.problems().forEach(p -> err.println("  - " + p));
  }

  /** The top-level command: without a command name, {@code run}. */
  @Command(
      mixinStandardHelpOptions = true,
      sortOptions = false,
      // One string per paragraph: picocli wraps it at word boundaries to the width (80 columns
      // when it cannot tell the terminal's).
      description = "Runs the emulator in the foreground (run, the default) or in the background (start), "
          + "and controls a background instance (stop, restart, status, logs).",
      footer = {
        "",
        "Configuration precedence: built-in defaults < --config file < QUIESCE_* environment < --set.",
        "",
        "Exit codes of run: 0 clean shutdown; 1 failed start or forced shutdown; 2 bad configuration or usage; "
            + "75 group restart. Exit codes of the other commands: see '<command> --help'."
      })
  static final class Root implements Callable<Integer> {

    final QuiesceCli cli;

    @Mixin
    LaunchOptions options = new LaunchOptions();

    Root(QuiesceCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return RunCommand.run(this);
    }

    /** {@code --print-config}: prints, then the caller exits with the returned code. */
    int printConfig() {
      LoadedConfig config = cli.loadOrReport(options);
      if (config == null) {
        return ExitCodes.BAD_CONFIG;
      }
      cli.out().println(config.describe());
      return ExitCodes.CLEAN;
    }
  }
}
