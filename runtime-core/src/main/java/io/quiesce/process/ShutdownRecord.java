package io.quiesce.process;

import io.quiesce.api.ShutdownReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps the last shutdown report in the state directory, so that {@code status} can tell how the
 * last shutdown went after the process is gone.
 */
public final class ShutdownRecord {

  private static final Logger LOG = LogManager.getLogger(ShutdownRecord.class);

  private ShutdownRecord() {}

  /**
   * Writes {@code report} as JSON to {@link StateFiles#lastShutdown()}, with this process's
   * {@code pid} (status matches it against the {@link InstanceRecord}), if the state directory
   * exists ({@code start} creates it; a foreground run never does). A failure is logged, never
   * thrown: it must not change how the process exits.
   */
  public static void writeIfStateDirExists(StateFiles files, ShutdownReport report) {
    if (!Files.isDirectory(files.dir())) {
      return;
    }
    Path target = files.lastShutdown();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      String json = report.toJson().put("pid", ProcessHandle.current().pid()).encode();
      Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Could not write the shutdown report to {}: {}", target, e.toString());
    }
  }
}
