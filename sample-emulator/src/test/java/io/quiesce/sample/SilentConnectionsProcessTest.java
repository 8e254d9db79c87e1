package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.RawExchange;
import io.quiesce.test.Signal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that never send a request cannot starve the server: with its file descriptors limited
 * to 256, 300 silent connections are closed after {@code server.header_read_timeout}, and
 * {@code /health/live} — queued behind them — is answered.
 */
@Timeout(120)
class SilentConnectionsProcessTest {

  private static final int SILENT = 300;

  @Test
  void threeHundredSilentConnectionsUnderUlimit256DoNotStopLivenessAnswering() throws Exception {
    // The limit applies to the emulator alone: a shell lowers it, then becomes the JVM.
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .wrapper("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh")
        .set("server.header_read_timeout=1s").startProcess()) { // server.http2 on, the default
      int port = emulator.awaitReady(Duration.ofSeconds(60));
      assertThat(live(port, Duration.ofSeconds(10))).startsWith("HTTP/1.1 200"); // warm: every class it needs is loaded
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < SILENT; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
          silent.add(s);
        }
        long asked = System.nanoTime();
        String answer = live(port, Duration.ofSeconds(30));
        long tookMs = (System.nanoTime() - asked) / 1_000_000;
        assertThat(answer).as("answered after %d ms; emulator output:%n%s", tookMs, emulator.output()).startsWith("HTTP/1.1 200");
      } finally {
        for (Socket s : silent) {
          s.close();
        }
      }
      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(Duration.ofSeconds(30))).isZero();
    }
  }

  /** The head of {@code GET /_quiesce/health/live}'s answer, or what went wrong within {@code limit}. */
  private static String live(int port, Duration limit) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) limit.toMillis());
      s.setSoTimeout((int) limit.toMillis());
      s.getOutputStream().write("GET /_quiesce/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes());
      s.getOutputStream().flush();
      return RawExchange.readHead(s.getInputStream());
    } catch (SocketTimeoutException e) {
      return "no answer within " + limit;
    }
  }
}
