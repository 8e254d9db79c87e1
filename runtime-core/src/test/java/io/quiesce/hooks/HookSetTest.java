package io.quiesce.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Hooks are checked at startup: a missing or non-executable one is a configuration problem. */
@ExtendWith(VertxExtension.class)
class HookSetTest {

  @TempDir
  Path dir;

  private LoadedConfig config(Vertx vertx, String... settings) throws Exception {
    return ConfigLoader.load(() -> vertx, RuntimeKeys.SCHEMA, new ConfigRequest(Optional.empty(), Map.of(), List.of(settings), Map.of()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private List<String> problems(Vertx vertx, String... settings) throws Exception {
    LoadedConfig config = config(vertx, settings);
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> HookSet.load(config, "/usr/bin:/bin"));
    assertThat(t).isInstanceOf(ConfigException.class);
    return ((ConfigException) t).problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void theDefaultsHaveNoHooksAndNeedNoFolder(Vertx vertx) throws Exception {
    assertThat(HookSet.load(config(vertx), "/usr/bin:/bin").isEmpty()).isTrue();
  }

  @Test
  void hookFoldersAreOptIn(Vertx vertx) throws Exception {
    // A ./hooks/on_start.d/ in the working directory would be anyone's who can write there.
    LoadedConfig defaults = config(vertx);
    assertThat(defaults.get(RuntimeKeys.HOOKS_DIR)).isEqualTo("none");
    Files.createDirectories(dir.resolve("on_start.d"));
    Scripts.executable(dir.resolve("on_start.d"), "10-seed.sh", "true");

    assertThat(HookSet.load(config(vertx, "hooks.dir=" + dir), "").of(HookEvent.ON_START)).hasSize(1);
    assertThat(HookSet.load(config(vertx, "hooks.dir=none"), "").isEmpty()).isTrue();
  }

  @Test
  void aHookFolderOrHookWritableByOtherUsersIsRefusedNamingThePath(Vertx vertx) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("on_stop.d"));
    Scripts.executable(folder, "10-save.sh", "true");
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(problems(vertx, "hooks.dir=" + dir)).singleElement().asString()
        .contains(folder + " is writable by other users").contains("chmod go-w " + folder);

    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(folder.resolve("10-save.sh"), PosixFilePermissions.fromString("rwxrwxr-x"));
    assertThat(problems(vertx, "hooks.dir=" + dir)).singleElement().asString()
        .contains(folder.resolve("10-save.sh") + " is writable by its group");

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(problems(vertx, "hooks.dir=" + dir)).anySatisfy(p -> assertThat(p).contains(dir + " is writable by other users"));
  }

  @Test
  void aConfiguredHookWritableByOtherUsersIsRefused(Vertx vertx) throws Exception {
    Path script = Scripts.executable(dir, "notify.sh", "true");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xrwx"));

    assertThat(problems(vertx, "hooks.on_restart=" + script)).singleElement().asString()
        .contains("item 1: " + script + " is writable by other users");
  }

  @Test
  void aMissingHookIsAProblemNamingKeyValueOriginAndItem(Vertx vertx) throws Exception {
    Scripts.executable(dir, "ok.sh", "true");
    String ok = dir.resolve("ok.sh").toString();

    assertThat(problems(vertx, "hooks.on_stop=" + ok + ",/nowhere/save.sh --fast")).containsExactly(
        "hooks.on_stop = \"/nowhere/save.sh --fast\" (--set hooks.on_stop=" + ok + ",/nowhere/save.sh --fast): "
            + "item 2: /nowhere/save.sh: no such file");
  }

  @Test
  void aHookThatIsNotExecutableIsAProblem(Vertx vertx) throws Exception {
    Scripts.plain(dir, "notx.sh", "true");

    assertThat(problems(vertx, "hooks.on_ready=" + dir.resolve("notx.sh"))).singleElement().asString()
        .endsWith("item 1: " + dir.resolve("notx.sh") + ": not an executable file");
  }

  @Test
  void aBareNameMustBeOnThePath(Vertx vertx) throws Exception {
    assertThat(HookSet.load(config(vertx, "hooks.on_ready=true"), "/usr/bin:/bin").of(HookEvent.ON_READY))
        .singleElement().satisfies(c -> assertThat(c.argv().get(0)).endsWith("/true"));
    assertThat(problems(vertx, "hooks.on_ready=no-such-tool-quiesce")).singleElement().asString()
        .endsWith("no-such-tool-quiesce: not found on PATH (give a path, e.g. ./no-such-tool-quiesce)");
  }

  @Test
  void aNonExecutableFileInAHookFolderIsAProblem(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("on_start.d"));
    Scripts.plain(dir.resolve("on_start.d"), "10-seed.sh", "true");

    assertThat(problems(vertx, "hooks.dir=" + dir)).singleElement().asString()
        .contains("10-seed.sh is not executable (chmod +x it, or remove it)");
  }

  @Test
  void aChosenHookFolderMustExist(Vertx vertx) throws Exception {
    assertThat(problems(vertx, "hooks.dir=" + dir.resolve("missing"))).singleElement().asString()
        .isEqualTo("hooks.dir = \"" + dir.resolve("missing") + "\" (--set hooks.dir=" + dir.resolve("missing") + "): no such directory");
  }

  @Test
  void everyProblemIsReportedAtOnce(Vertx vertx) throws Exception {
    assertThat(problems(vertx, "hooks.on_start=/a.sh", "hooks.on_stop=/b.sh")).hasSize(2);
  }

  @Test
  void aValidHookKeepsItsArguments(Vertx vertx) throws Exception {
    Scripts.executable(dir, "ok.sh", "true");

    HookSet hooks = HookSet.load(config(vertx, "hooks.on_start=" + dir.resolve("ok.sh") + " --seed  data"), "");

    assertThat(hooks.of(HookEvent.ON_START)).singleElement()
        .isEqualTo(new HookCommand(List.of(dir.resolve("ok.sh").toString(), "--seed", "data"), "hooks.on_start[1]"));
    assertThatThrownBy(() -> new HookCommand(List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
