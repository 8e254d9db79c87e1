package io.quiesce.sample;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs the sample emulator's commands ({@code start}, {@code stop}, {@code status}, ...) as real
 * child processes against one state directory, the way a user's shell would, and cleans up any
 * background instance they leave behind.
 */
final class CommandLine implements AutoCloseable {

  static final Duration COMMAND_LIMIT = Duration.ofSeconds(120);

  /** One finished command. */
  record Result(int exit, String output) {}

  private final Path stateDir;
  private final EmulatorLauncher launcher;

  /** Commands with {@code process.state_dir=stateDir}, port 0, and these extra {@code --set} values. */
  CommandLine(Path stateDir, String... extraSettings) {
    this.stateDir = stateDir;
    this.launcher = EmulatorLauncher.of(SampleEmulator.class).set("process.state_dir=" + stateDir).set(extraSettings);
  }

  /** Runs one command to its end. */
  Result run(String... command) throws Exception {
    try (EmulatorProcess p = launch(command)) {
      int exit = p.awaitExit(COMMAND_LIMIT);
      return new Result(exit, p.output());
    }
  }

  /** Starts a command without waiting (e.g. {@code logs --follow}). */
  EmulatorProcess launch(String... command) throws Exception {
    return launcher.startProcess(command);
  }

  Path pidFile() {
    return stateDir.resolve("quiesce.pid");
  }

  Path logFile() {
    return stateDir.resolve("quiesce.log");
  }

  /** The PID in the PID file, if there is one. */
  Optional<Long> pid() throws Exception {
    try {
      String text = Files.readString(pidFile(), StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Kills a background instance a failed test left running. */
  @Override
  public void close() throws Exception {
    Optional<Long> pid = pid();
    if (pid.isPresent()) {
      ProcessHandle.of(pid.get()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
