package io.quiesce.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Hooks as real child processes: environment, exit codes, output, timeouts on a manual clock. */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HookRunnerTest {

  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();

  private HookRunner runner(Vertx vertx, String... settings) throws Exception {
    List<String> overrides = new ArrayList<>(List.of("hooks.dir=" + dir));
    overrides.addAll(List.of(settings));
    LoadedConfig config = await(ConfigLoader.load(() -> vertx, RuntimeKeys.SCHEMA,
        new ConfigRequest(Optional.empty(), Map.of(), overrides, Map.of())));
    return new HookRunner(vertx, clock, HookSet.load(config, System.getenv("PATH")), "my-emulator",
        config.get(RuntimeKeys.HOOKS_TIMEOUT), config.get(RuntimeKeys.HOOKS_KILL_GRACE));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aHookGetsItsContextOnlyThroughEnvironmentVariables(Vertx vertx) throws Exception {
    Path envFile = dir.resolve("env.txt");
    Scripts.executable(dir, "record-env.sh", "env > '" + envFile + "'");
    HookRunner runner = runner(vertx, "hooks.on_failure=" + dir.resolve("record-env.sh"));

    List<HookResult> results = await(runner.run(HookEvent.ON_FAILURE, "queue",
        Map.of("QUIESCE_REASON", "queue stuck; rm -rf / `x` $(y)", "QUIESCE_FAILURE_COUNT", "3"), Duration.ofMinutes(1)));

    assertThat(results).singleElement().satisfies(r -> assertThat(r.succeeded()).isTrue());
    List<String> env = Files.readAllLines(envFile);
    assertThat(env).contains("QUIESCE_EVENT=on_failure", "QUIESCE_SERVICE=queue", "QUIESCE_APP=my-emulator",
        "QUIESCE_REASON=queue stuck; rm -rf / `x` $(y)", "QUIESCE_FAILURE_COUNT=3");
    assertThat(env).anySatisfy(l -> assertThat(l).matches("QUIESCE_TIMESTAMP=\\d{4}-\\d\\d-\\d\\dT.*Z"));
  }

  @Test
  void configuredArgumentsArePassedAsWordsWithoutAShell(Vertx vertx) throws Exception {
    Path argsFile = dir.resolve("args.txt");
    Scripts.executable(dir, "args.sh", "for a in \"$@\"; do echo \"[$a]\"; done > '" + argsFile + "'");
    HookRunner runner = runner(vertx, "hooks.on_ready=" + dir.resolve("args.sh") + " one  $HOME *");

    await(runner.run(HookEvent.ON_READY, null, Map.of(), Duration.ofMinutes(1)));

    assertThat(Files.readAllLines(argsFile)).containsExactly("[one]", "[$HOME]", "[*]");
  }

  @Test
  void hooksRunInOrderConfiguredFirstThenTheFolderByName(Vertx vertx) throws Exception {
    Path log = dir.resolve("order.txt");
    Files.createDirectories(dir.resolve("on_stop.d"));
    Scripts.executable(dir.resolve("on_stop.d"), "20-second.sh", "echo folder-20 >> '" + log + "'");
    Scripts.executable(dir.resolve("on_stop.d"), "10-first.sh", "echo folder-10 >> '" + log + "'");
    Scripts.plain(dir.resolve("on_stop.d"), ".hidden", "echo hidden >> '" + log + "'");
    Scripts.executable(dir, "configured.sh", "echo configured >> '" + log + "'");
    HookRunner runner = runner(vertx, "hooks.on_stop=" + dir.resolve("configured.sh"));

    List<HookResult> results = await(runner.run(HookEvent.ON_STOP, null, Map.of(), Duration.ofMinutes(1)));

    assertThat(results).hasSize(3).allMatch(HookResult::succeeded);
    assertThat(Files.readAllLines(log)).containsExactly("configured", "folder-10", "folder-20");
  }

  @Test
  void aFailingHookReportsItsExitCodeAndTheTailOfItsOutputAndTheNextStillRuns(Vertx vertx) throws Exception {
    Scripts.executable(dir, "fail.sh", "echo starting; echo 'no database' >&2; exit 3");
    Scripts.executable(dir, "ok.sh", "exit 0");
    HookRunner runner = runner(vertx, "hooks.on_drain=" + dir.resolve("fail.sh") + "," + dir.resolve("ok.sh"));

    List<HookResult> results = await(runner.run(HookEvent.ON_DRAIN, null, Map.of(), Duration.ofMinutes(1)));

    HookResult failed = results.get(0);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.timedOut()).isFalse();
    assertThat(failed.stdoutTail()).isEqualTo("starting");
    assertThat(failed.stderrTail()).isEqualTo("no database");
    assertThat(failed.summary()).contains("hooks.on_drain[1]").contains("exit 3");
    assertThat(results.get(1).succeeded()).isTrue();
  }

  @Test
  void aHookPastItsTimeoutGetsSigterm(Vertx vertx) throws Exception {
    Scripts.executable(dir, "slow.sh", "exec sleep 30");
    HookRunner runner = runner(vertx, "hooks.on_ready=" + dir.resolve("slow.sh"), "hooks.timeout=5s");

    Future<List<HookResult>> run = runner.run(HookEvent.ON_READY, null, Map.of(), Duration.ofMinutes(1));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> clock.pendingTasks() == 1); // started, timeout armed
    clock.advance(Duration.ofSeconds(5));

    HookResult r = await(run).get(0);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.killed()).isFalse();
    assertThat(r.exitCode()).as("128 + SIGTERM").isEqualTo(143);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.summary()).contains("timed out, stopped with SIGTERM");
  }

  @Test
  void aHookThatIgnoresSigtermIsKilledAfterTheGrace(Vertx vertx) throws Exception {
    Scripts.executable(dir, "stubborn.sh", "trap '' TERM\nexec sleep 30");
    HookRunner runner = runner(vertx, "hooks.on_ready=" + dir.resolve("stubborn.sh"), "hooks.timeout=5s",
        "hooks.kill_grace=2s");

    Future<List<HookResult>> run = runner.run(HookEvent.ON_READY, null, Map.of(), Duration.ofMinutes(1));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> clock.pendingTasks() == 1);
    clock.advance(Duration.ofSeconds(5));
    assertThat(run.isComplete()).as("SIGTERM is ignored").isFalse();
    clock.advance(Duration.ofSeconds(2));

    HookResult r = await(run).get(0);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.killed()).isTrue();
    assertThat(r.exitCode()).as("128 + SIGKILL").isEqualTo(137);
  }

  @Test
  void aShortBudgetShortensTheTimeoutToLeaveRoomForTheGrace(Vertx vertx) throws Exception {
    Scripts.executable(dir, "slow.sh", "exec sleep 30");
    HookRunner runner = runner(vertx, "hooks.on_stop=" + dir.resolve("slow.sh"), "hooks.timeout=30s", "hooks.kill_grace=1s");

    Future<List<HookResult>> run = runner.run(HookEvent.ON_STOP, null, Map.of(), Duration.ofSeconds(4));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> clock.pendingTasks() == 1);
    clock.advance(Duration.ofSeconds(3));

    assertThat(await(run).get(0).timedOut()).as("SIGTERM at 3 s, 1 s of grace left in the 4 s budget").isTrue();
  }

  @Test
  void noHooksMeansNothingRuns(Vertx vertx) throws Exception {
    HookRunner runner = runner(vertx);

    assertThat(runner.has(HookEvent.ON_START)).isFalse();
    assertThat(await(runner.run(HookEvent.ON_START, null, Map.of(), Duration.ofMinutes(1)))).isEmpty();
  }
}
