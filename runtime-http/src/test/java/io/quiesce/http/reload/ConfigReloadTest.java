package io.quiesce.http.reload;

import static io.quiesce.http.testkit.TestEmulator.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.ShutdownReason;
import io.quiesce.config.ConfigRequest;
import io.quiesce.http.RuntimeInstance;
import io.quiesce.http.testkit.CapturedLog;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.TestEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a configuration reload (SIGHUP's entry point, {@link io.quiesce.api.QuiesceRuntime#reloadConfig()}) changes
 * in a running runtime: health thresholds and hook lists, with hooks checked as at startup.
 */
@Timeout(60)
class ConfigReloadTest {

  @TempDir
  Path dir;
  private RuntimeInstance runtime;
  private CapturedLog log;

  @AfterEach
  void close() throws Exception {
    if (log != null) {
      log.close();
    }
    if (runtime != null) {
      await(runtime.close());
    }
  }

  private Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("quiesce.yaml"), yaml);
  }

  private void start(Path file) throws Exception {
    ConfigRequest request = new ConfigRequest(Optional.of(file), Map.of(), List.of("server.port=0", "log.level=warn"), Map.of());
    runtime = (RuntimeInstance) await(TestEmulator.application(rt -> {}).start(request));
    log = CapturedLog.of(Class.forName("io.quiesce.http.ConfigReloader"));
  }

  /** An executable that writes its event and arguments into {@code marker}. */
  private Path hook(String name, Path marker) throws Exception {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\necho \"$QUIESCE_EVENT\" > \"$1\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private double errorThreshold() throws Exception {
    return RawConnection.get(runtime.port(), "/_quiesce/health").json().getJsonObject("requests").getDouble("error_threshold");
  }

  @Test
  void aLogLevelChangeIsConfirmedWhicheverWayItGoes() throws Exception {
    Level rootBefore = LogManager.getRootLogger().getLevel();
    Path file = config("log:\n  level: info\n");
    runtime = (RuntimeInstance) await(TestEmulator.application(rt -> {}).start(
        new ConfigRequest(Optional.of(file), Map.of(), List.of("server.port=0"), Map.of())));
    try (CapturedLog root = CapturedLog.throughRoot(Class.forName("io.quiesce.http.ConfigReloader"))) {
      for (String level : List.of("warn", "error", "warn", "debug")) {
        config("log:\n  level: " + level + "\n");
        await(runtime.reloadConfig());
      }

      assertThat(root.lines()).filteredOn(l -> l.contains("Reloaded log.level")).containsExactly(
          "INFO Reloaded log.level: info -> warn", // written before the switch to warn
          "WARN Reloaded log.level: warn -> error", // neither level shows INFO
          "WARN Reloaded log.level: error -> warn",
          "INFO Reloaded log.level: warn -> debug"); // written after the switch to debug
    } finally {
      Configurator.setRootLevel(rootBefore);
    }
  }

  @Test
  void reloadAppliesNewHealthThresholdsAndSaysTheWindowWaitsForARestart() throws Exception {
    Path file = config("health:\n  error_threshold: 10\n  error_window: 5m\n");
    start(file);
    assertThat(errorThreshold()).isEqualTo(0.1);

    config("health:\n  error_threshold: 50\n  error_min_requests: 3\n  error_window: 1m\n");
    await(runtime.reloadConfig());

    assertThat(errorThreshold()).isEqualTo(0.5);
    assertThat(runtime.health().policy().minRequests()).isEqualTo(3);
    assertThat(runtime.health().policy().errorWindow()).as("the window is restart-only").hasMinutes(5);
    assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN Not reloaded: health.error_window changed from 5m to 1m")
        && l.contains("the error window's buckets are sized at startup"));
  }

  @Test
  void aHookAddedByReloadRunsAtDrain() throws Exception {
    Path marker = dir.resolve("drained");
    Path script = hook("drain.sh", marker);
    start(config("hooks:\n  on_drain: []\n"));

    config("hooks:\n  on_drain:\n    - " + script + " " + marker + "\n");
    await(runtime.reloadConfig());
    assertThat(marker).doesNotExist();
    await(runtime.shutdown(ShutdownReason.MANUAL));

    assertThat(marker).content().isEqualToIgnoringNewLines("on_drain");
  }

  @Test
  void aReloadNamingAMissingHookIsRefusedAndTheOldHooksStillRun() throws Exception {
    Path marker = dir.resolve("stopped");
    Path script = hook("stop.sh", marker);
    Path notExecutable = Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");
    start(config("hooks:\n  on_stop:\n    - " + script + " " + marker + "\n"));

    config("hooks:\n  on_stop:\n    - " + dir.resolve("missing.sh") + "\n    - " + notExecutable + "\n"
        + "health:\n  error_threshold: 40\n");
    await(runtime.reloadConfig());

    assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN Hooks not reloaded, the running hooks are unchanged")
        && l.contains("hooks.on_stop") && l.contains("missing.sh: no such file")
        && l.contains("plain.sh: not an executable file"));
    assertThat(errorThreshold()).as("what could be reloaded was").isEqualTo(0.4);
    await(runtime.shutdown(ShutdownReason.MANUAL));
    assertThat(marker).content().isEqualToIgnoringNewLines("on_stop");
  }
}
