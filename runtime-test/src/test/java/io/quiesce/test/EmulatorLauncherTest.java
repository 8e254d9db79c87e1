package io.quiesce.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting emulators without the annotation: what the kit creates, keeps and deletes. */
class EmulatorLauncherTest {

  @Test
  void aFreshDataDirectoryIsDeletedAtCloseAndAGivenOneIsKept(@TempDir Path kept) throws Exception {
    Path fresh;
    try (InProcessEmulator emulator = EmulatorLauncher.of(HelloEmulator.class).dataDir("hello.data_dir")
        .startInProcess()) {
      fresh = emulator.dataDir();
      Files.writeString(fresh.resolve("x"), "x");
    }
    assertThat(fresh).doesNotExist();

    try (InProcessEmulator emulator = EmulatorLauncher.of(HelloEmulator.class).dataDir("hello.data_dir", kept)
        .startInProcess()) {
      assertThat(emulator.dataDir()).isEqualTo(kept);
    }
    assertThat(kept).isDirectory();
  }

  @Test
  void badSettingsFailInProcessWithTheConfigurationErrorAndInAProcessWithExitTwo() throws Exception {
    assertThatThrownBy(() -> EmulatorLauncher.of(HelloEmulator.class).set("server.port=70000").startInProcess())
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
    try (EmulatorProcess process = EmulatorLauncher.of(HelloEmulator.class).set("server.port=70000").startProcess()) {
      assertThat(process.exitCode()).isEqualTo(2);
      assertThat(process.output()).contains("server.port = \"70000\" (--set server.port=70000)");
      assertThatThrownBy(process::awaitReady).isInstanceOf(AssertionError.class).hasMessageContaining("exited with code 2 before it was ready");
    }
  }

  @Test
  void aSettingOnTheCommandLineWinsOverTheLaunchersOwn() throws Exception {
    // The launcher's server.port=0 comes first: the test's own --set is the later one, as a user's would be.
    try (EmulatorProcess process = EmulatorLauncher.of(HelloEmulator.class).startProcess("--set", "server.port=70000")) {
      assertThat(process.exitCode()).isEqualTo(2);
      assertThat(process.output()).contains("server.port = \"70000\" (--set server.port=70000)");
    }
  }

  @Test
  void aClassWithoutApplicationFactoryIsRefusedSayingWhatItNeeds() {
    assertThatThrownBy(() -> EmulatorLauncher.of(String.class).startInProcess())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String has no public static QuiesceApplication application() method");
  }
}
