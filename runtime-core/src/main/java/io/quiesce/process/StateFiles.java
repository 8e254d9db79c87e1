package io.quiesce.process;

import io.quiesce.config.RuntimeSettings;
import java.nio.file.Path;

/**
 * Where one instance keeps its files: the state directory ({@code process.state_dir}), the PID
 * file and log file of a background instance (relative paths resolved inside the state
 * directory), the last shutdown report and the address of the running instance.
 *
 * <p>Two instances that should not see each other need two state directories (or PID files).
 */
public record StateFiles(Path dir, Path pidFile, Path logFile) {

  /** The files named by the runtime settings, paths made absolute against the working directory. */
  public static StateFiles from(RuntimeSettings settings) {
    Path dir = Path.of(settings.stateDir()).toAbsolutePath().normalize();
    return new StateFiles(dir, dir.resolve(settings.pidFile()).normalize(), dir.resolve(settings.logFile()).normalize());
  }

  /** The report of the last shutdown, as JSON; written by an instance whose state directory exists. */
  public Path lastShutdown() {
    return dir.resolve("last-shutdown.json");
  }

  /** Where {@code start} records the running instance's PID and URL, for {@code status}. */
  public Path instance() {
    return dir.resolve("instance.json");
  }
}
