package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks in a real emulator process: validation exits 2, lifecycle hooks see their env, required on_start fails startup. */
class HooksProcessTest {

  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private Path script(Path folder, String name, String body) throws Exception {
    Files.createDirectories(folder);
    Path file = Files.writeString(folder.resolve(name), "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void aMissingOrNonExecutableHookExitsTwoBeforeAnythingStarts() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("save.sh"), "#!/bin/sh\n");
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .env("QUIESCE_HOOKS_ON_STOP", notExecutable.toString()).set("hooks.on_start=/nowhere/seed.sh")
        .startProcess()) {
      assertThat(emulator.awaitExit(EXIT)).isEqualTo(2);
      assertThat(emulator.output())
          .contains("Invalid configuration (nothing was started):")
          .contains("hooks.on_start = \"/nowhere/seed.sh\" (--set hooks.on_start=/nowhere/seed.sh): item 1: /nowhere/seed.sh: no such file")
          .contains("hooks.on_stop = \"" + notExecutable + "\" (env QUIESCE_HOOKS_ON_STOP): item 1: " + notExecutable
              + ": not an executable file")
          .doesNotContain("Ready.");
    }
  }

  @Test
  void lifecycleHooksRunWithTheirContextAndOnStopRunsWithinShutdown() throws Exception {
    Path hooks = dir.resolve("hooks");
    script(hooks.resolve("on_ready.d"), "10-record.sh", "env | grep ^QUIESCE_ > '" + dir.resolve("ready.env") + "'");
    script(hooks.resolve("on_stop.d"), "10-record.sh", "env | grep ^QUIESCE_ > '" + dir.resolve("stop.env") + "'");
    Path drain = script(dir, "drain.sh", "echo draining \"$1\"; env | grep ^QUIESCE_ > '" + dir.resolve("drain.env") + "'");
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("hooks.dir=" + hooks, "hooks.on_drain=" + drain + " now").startProcess()) {
      emulator.awaitReady(START);
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("ready.env"))
          && Files.readString(dir.resolve("ready.env")).contains("QUIESCE_TIMESTAMP"));

      emulator.signal(Signal.TERM);

      assertThat(emulator.awaitExit(EXIT)).isZero();
      assertThat(Files.readAllLines(dir.resolve("ready.env")))
          .contains("QUIESCE_EVENT=on_ready", "QUIESCE_SERVICE=sample-emulator");
      assertThat(Files.readAllLines(dir.resolve("drain.env"))).contains("QUIESCE_EVENT=on_drain", "QUIESCE_REASON=SIGNAL");
      assertThat(Files.readAllLines(dir.resolve("stop.env"))).contains("QUIESCE_EVENT=on_stop", "QUIESCE_REASON=SIGNAL");
      assertThat(emulator.output())
          .contains("Hook on_drain hooks.on_drain[1] [" + drain + " now]: exit 0")
          .contains("stdout (tail): draining now")
          .contains("Shutdown phase before_stop: on_stop hooks");
    }
  }

  @Test
  void aRequiredOnStartHookThatFailsFailsStartupWithExitOne() throws Exception {
    Path seed = script(dir, "seed.sh", "echo 'seed data missing' >&2; exit 4");
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("hooks.on_start=" + seed, "hooks.on_start_required=true").startProcess()) {
      assertThat(emulator.awaitExit(EXIT)).isEqualTo(1);
      assertThat(emulator.output())
          .contains("stderr (tail): seed data missing")
          .contains("required on_start hook failed: hooks.on_start[1]")
          .contains("rolling back the services started before it")
          .contains("Lifecycle STARTING -> FAILED")
          .doesNotContain("Ready.");
    }
  }

  @Test
  void anOnStartHookThatFailsWithoutBeingRequiredIsLoggedAndStartupGoesOn() throws Exception {
    Path seed = script(dir, "seed.sh", "exit 4");
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).set("hooks.on_start=" + seed)
        .startProcess()) {
      emulator.awaitReady(START);
      assertThat(emulator.output()).contains("Hook on_start failed: hooks.on_start[1] [" + seed + "]: exit 4");
      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(EXIT)).isZero();
    }
  }
}
