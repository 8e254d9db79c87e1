package io.quiesce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.config.ConfigRequest;
import io.quiesce.config.LoadedConfig;
import io.quiesce.signal.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A plain {@code run} is read without picocli (start-up time), and must mean exactly what picocli
 * makes of the same arguments; whatever it does not read the same way goes to picocli.
 */
class RunArgumentsTest {

  private static final Set<String> COMMANDS = Set.of("run", "start", "stop", "restart", "status", "logs", "tool");

  @Test
  void aPlainRunIsReadAsPicocliReadsIt() {
    List<List<String>> plain = List.of(
        List.of(),
        List.of("run"),
        List.of("--set", "server.port=0"),
        List.of("run", "--set", "server.port=0", "--set", "log.level=debug"),
        List.of("--set=server.port=9000", "--config", "conf/my.yaml"),
        List.of("run", "--config=/etc/q.yaml", "--set", "a=b=c"),
        List.of("--set", "hooks.on_start=echo 'hi there'"),
        List.of("--set", "\"quoted=value\""),
        List.of("--set", "service.name=", "--set", "x=run"));
    for (List<String> args : plain) {
      Optional<LaunchOptions> fast = RunArguments.parse(args.toArray(new String[0]), COMMANDS::contains);
      assertThat(fast).as("%s is a plain run", args).isPresent();
      LaunchOptions picocli = picocli(args);
      assertThat(fast.get().config()).as("--config of %s", args).isEqualTo(picocli.config());
      assertThat(fast.get().overrides()).as("--set of %s", args).isEqualTo(picocli.overrides());
      assertThat(fast.get().printConfig()).isFalse();
    }
  }

  @Test
  void aPlainStartDoesNotAskForTheCommandNames() {
    // Finding them reads the tools' annotations: a start with no arguments, or with --set KEY=VALUE
    // only, must not pay for that.
    java.util.function.Predicate<String> mustNotBeAsked = word -> {
      throw new AssertionError("asked whether '" + word + "' is a command");
    };
    assertThat(RunArguments.parse(new String[0], mustNotBeAsked)).isPresent();
    assertThat(RunArguments.parse(new String[] {"--set", "server.port=0", "--set=log.level=debug"}, mustNotBeAsked)).isPresent();
  }

  @Test
  void everythingElseIsLeftToPicocli() {
    List<List<String>> others = List.of(
        List.of("--help"), List.of("-h"), List.of("--version"), List.of("run", "--help"),
        List.of("status"), List.of("tool"), List.of("frobnicate"), List.of("run", "extra"), List.of("run", "run"),
        List.of("--set", "a=b", "run"), // options before the command name
        List.of("--print-config"), List.of("--set", "a=b", "--print-config"),
        List.of("--set"), List.of("--set="), List.of("--config"), List.of("--set", "--config"),
        List.of("--set", "-1"), List.of("--set", "status"), List.of("--config", "tool"),
        List.of("--config", "a.yaml", "--config", "b.yaml"), List.of("@args.txt"), List.of("--set", "@file"),
        List.of("--", "--set", "a=b"), List.of("--sets", "a=b"), List.of("-set", "a=b"), List.of("--SET", "a=b"));
    for (List<String> args : others) {
      assertThat(RunArguments.parse(args.toArray(new String[0]), COMMANDS::contains)).as("%s goes to picocli", args).isEmpty();
    }
  }

  @Test
  void aToolNameIsACommandNameAndItsValueGoesToPicocli() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<ConfigRequest> ran = new ArrayList<>();
    QuiesceCli cli = new QuiesceCli("fake", "1.0", Map.of(), recording(ran), Map.of(), System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8), List.of(new Tool()));

    int exit = cli.execute("--config", "tool");

    assertThat(exit).as("picocli's usage error, not a run with a file named 'tool'").isEqualTo(ExitCodes.BAD_CONFIG);
    assertThat(ran).isEmpty();
    assertThat(cli.execute("run", "--set", "server.port=0")).isEqualTo(ExitCodes.CLEAN);
    assertThat(ran).singleElement().satisfies(r -> assertThat(r.overrides()).containsExactly("server.port=0"));
  }

  @Test
  void theCommandNamesAreTheCommandsPicocliKnows() {
    QuiesceCli cli = new QuiesceCli("fake", "1.0", Map.of(), recording(new ArrayList<>()), Map.of(), System.out, System.err,
        List.of(new Tool()));

    assertThat(cli.commandNames()).isEqualTo(cli.commandLine().getSubcommands().keySet());
  }

  /** What the emulator's picocli command line puts in the root's options. */
  private static LaunchOptions picocli(List<String> args) {
    CommandLine commandLine = new QuiesceCli("fake", "1.0", Map.of(), recording(new ArrayList<>()), Map.of(), System.out,
        System.err, List.of()).commandLine();
    commandLine.parseArgs(args.toArray(new String[0]));
    return ((QuiesceCli.Root) commandLine.getCommand()).options;
  }

  private static Launchable recording(List<ConfigRequest> ran) {
    return new Launchable() {
      @Override
      public LoadedConfig loadConfig(ConfigRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int runForeground(ConfigRequest request) {
        ran.add(request);
        return ExitCodes.CLEAN;
      }
    };
  }

  @Command(name = "tool")
  static final class Tool implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      return 0;
    }
  }
}
