package io.quiesce.cli;

import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.signal.ExitCodes;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line of an emulator named {@code fake}, run in this JVM against one state directory
 * ({@code process.state_dir}): what {@code stop}, {@code status} and {@code --help} say and return.
 * The processes they look at are real ones the tests start.
 */
final class Cli implements AutoCloseable {

  /** One finished command: exit code, standard output and standard error. */
  record Result(int exit, String out, String err) {
    String output() {
      return out + err;
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final Path stateDir;

  Cli(Path stateDir) {
    this.stateDir = stateDir;
  }

  Path pidFile() {
    return stateDir.resolve("quiesce.pid");
  }

  Path instanceFile() {
    return stateDir.resolve("instance.json");
  }

  Path lastShutdownFile() {
    return stateDir.resolve("last-shutdown.json");
  }

  Result run(String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Launchable app = new Launchable() {
      @Override
      public LoadedConfig loadConfig(ConfigRequest request) throws Exception {
        return ConfigLoader.load(() -> vertx, RuntimeKeys.SCHEMA, request).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }

      @Override
      public int runForeground(ConfigRequest request) {
        return ExitCodes.CLEAN;
      }
    };
    List<String> args = new ArrayList<>(List.of("--set", "process.state_dir=" + stateDir));
    args.addAll(List.of(command));
    int exit = new QuiesceCli("fake", "1.0", Map.of(), app, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), List.of()).execute(args.toArray(new String[0]));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    vertx.close();
  }
}
