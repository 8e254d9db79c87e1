package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.lifecycle.StartupFailedException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup failures the user can fix are one line naming what to fix; bugs keep their stack trace. */
class StartupFailureTest {

  @Test
  void aTakenPortIsNamedWithItsHost() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      BindException real = null;
      try (ServerSocket second = new ServerSocket()) {
        second.bind(taken.getLocalSocketAddress());
      } catch (BindException e) {
        real = e;
      }

      assertThat(StartupFailure.oneLine(new StartupFailedException(real), "127.0.0.1", taken.getLocalPort()))
          .hasValue("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use "
              + "(another process listens there: stop it, or choose another server.port, 0 for any free one)");
    }
  }

  @Test
  void aFileOrDirectoryThatCannotBeUsedIsNamed(@TempDir Path dir) {
    IOException missing = catchIo(() -> Files.list(dir.resolve("nope")));

    assertThat(StartupFailure.oneLine(missing, "127.0.0.1", 4566))
        .hasValue("cannot use " + dir.resolve("nope") + ": no such file or directory");
    assertThat(StartupFailure.oneLine(new StartupFailedException(new AccessDeniedException("/var/lib/x")), null, 0))
        .hasValue("cannot use /var/lib/x: permission denied");
  }

  @Test
  void aCheckedExceptionWithItsOwnMessageIsThatMessage() {
    Exception corrupt = new Exception("/data: emulator.data_dir is not a directory (move the file away)") {};

    assertThat(StartupFailure.oneLine(new StartupFailedException(corrupt), "127.0.0.1", 4566))
        .hasValue("/data: emulator.data_dir is not a directory (move the file away)");
  }

  @Test
  void aBugKeepsItsStackTrace() {
    assertThat(StartupFailure.oneLine(new StartupFailedException(new NullPointerException("x")), "127.0.0.1", 1)).isEmpty();
    assertThat(StartupFailure.oneLine(new IllegalStateException("y"), "127.0.0.1", 1)).isEmpty();
  }

  private interface IoAction {
    Object run() throws IOException;
  }

  private static IOException catchIo(IoAction action) {
    try {
      action.run();
      throw new AssertionError("expected an IOException");
    } catch (IOException e) {
      return e;
    }
  }
}
