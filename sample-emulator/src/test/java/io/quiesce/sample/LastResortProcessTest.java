package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's last resorts in a real JVM: the watchdog that halts a shutdown stuck in blocking
 * code, and the shutdown hook that turns a {@code System.exit} from elsewhere into the graceful
 * shutdown. (SignalBridgeTest covers their logic against a fake JVM; this is the real one.)
 */
class LastResortProcessTest {

  /** The watchdog's wait past server.shutdown_timeout (README: Signals). */
  private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(5);

  @Test
  void aShutdownStuckInBlockingCodeIsHaltedByTheWatchdogWithExitOne() throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(LastResortEmulator.class)
        .set("server.shutdown_timeout=1s", "test.stuck=true").startProcess()) {
      emulator.awaitReady(Duration.ofSeconds(60));
      long signalled = System.nanoTime();
      emulator.signal(Signal.TERM);

      assertThat(emulator.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
      long tookMs = (System.nanoTime() - signalled) / 1_000_000;
      // Halted no sooner than the grace allows, and promptly after the budget and the grace: the
      // watchdog waits on a thread of its own. 2 s more covers starting kill(1), the JVM's halt and
      // this machine's load; the stuck task alone would hold the process forever.
      assertThat(tookMs).isBetween(WATCHDOG_GRACE.toMillis(), 1_000 + WATCHDOG_GRACE.toMillis() + 2_000);
      // Its last words are flushed before the halt.
      assertThat(emulator.output()).containsPattern("Shutdown still running \\d+ ms after it began \\(budget \\d+ ms\\): forcing exit")
          .doesNotContain("Exiting with code");
    }
  }

  @Test
  void systemExitElsewhereRunsTheGracefulShutdownAndKeepsItsExitCode(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state.txt");
    try (EmulatorProcess emulator = EmulatorLauncher.of(LastResortEmulator.class)
        .set("test.state_file=" + state).startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(60));
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/exit")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("exiting");

      // System.exit(0) from the application: the JVM's own exit code, after the shutdown hook ran
      // the whole graceful sequence (the runtime never turns it into another code).
      assertThat(emulator.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(emulator.output())
          .contains("JVM is exiting: running the graceful shutdown first")
          .contains("Lifecycle RUNNING -> DRAINING (JVM_EXIT)")
          .containsPattern("Shutdown complete in \\d+ ms: .*\"reason\":\"JVM_EXIT\"")
          .contains("Graceful shutdown from the JVM hook finished (clean)");
      assertThat(Files.readString(state)).as("state saved by the before_stop task").isEqualTo("saved: JVM_EXIT");
    }
  }
}
