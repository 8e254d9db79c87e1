package io.quiesce.test.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The probe tells a loss when it sees one. Against a deliberately bad server on a raw socket: it
 * answers each connection's first request and closes the connection under the second (the classic
 * keep-alive loss), and some answers are chunked, which must count as complete.
 */
class DrainProbeTest {

  @Test
  void aKeepAliveConnectionClosedUnderARequestIsALossAndFailsTheAssertion() throws Exception {
    try (BadServer server = new BadServer()) {
      // The loops start inside start(), so the server answers nothing until the signal is marked:
      // a connection is reused only after an answer, so every reused request is after the signal.
      ProbeLoad load = DrainProbe.to(server.address()).loops(2).maxRequestsPerLoop(6).readTimeout(Duration.ofSeconds(5))
          .requests(ProbeRequest.get("/x")).start();
      load.markSignal(System.nanoTime());
      server.startAnswering();
      List<ProbeResult> results = load.awaitEnd(Duration.ofSeconds(30));

      assertThat(results).hasSize(12);
      assertThat(results).filteredOn(r -> !r.reused()).extracting(ProbeResult::outcome).containsOnly(Outcome.OK);
      assertThat(results).filteredOn(ProbeResult::reused).extracting(ProbeResult::outcome).containsOnly(Outcome.LOST_NO_RESPONSE);
      DrainReport report = new DrainReport(results, 2, 0, Duration.ZERO, load.lossDetails());
      assertThat(report.lost()).isEqualTo(6);
      assertThatThrownBy(report::assertNothingLost).isInstanceOf(AssertionError.class)
          .hasMessageContaining("6 request(s) lost").hasMessageContaining("| LOST_NO_RESPONSE | 0 | 0 | 6 | 0 |");
    }
  }

  @Test
  void aResetBeforeAnyByteIsToldFromAnEofTheServerSent() throws Exception {
    for (boolean reset : new boolean[] {true, false}) {
      try (SilentCloser server = new SilentCloser(reset)) {
        List<ProbeResult> results = DrainProbe.to(server.address()).loops(1).maxRequestsPerLoop(3).readTimeout(Duration.ofSeconds(5))
            .requests(ProbeRequest.get("/x")).start().awaitEnd(Duration.ofSeconds(30));

        assertThat(results).extracting(ProbeResult::outcome).as("reset: %s", reset)
            .containsOnly(reset ? Outcome.LOST_RESET : Outcome.LOST_NO_RESPONSE).hasSize(3);
      }
    }
  }

  @Test
  void onlyAFreshConnectionResetAfterTheSignalCountsAsTheListenBacklogWindow() {
    List<ProbeResult> results = List.of(
        new ProbeResult(0, Outcome.LOST_RESET, false, true, 0, 0, 0, 0), // the backlog window
        new ProbeResult(1, Outcome.LOST_NO_RESPONSE, false, true, 0, 0, 0, 0), // EOF: the server had it
        new ProbeResult(2, Outcome.LOST_RESET, true, true, 0, 0, 0, 0), // a reused connection is never in a backlog
        new ProbeResult(3, Outcome.LOST_RESET, false, false, 0, 0, 0, 0)); // before the signal: no listener closed yet
    DrainReport report = new DrainReport(results, 8, 0, Duration.ZERO, List.of());

    assertThat(report.listenerCloseResets()).isEqualTo(1);
    assertThat(report.lost()).isEqualTo(3);
  }

  @Test
  void aRunWithNothingSentAfterTheSignalDidNotTestTheDrain() {
    DrainReport report = new DrainReport(List.of(new ProbeResult(0, Outcome.OK, false, false, 200, 0, 0, 0)), 1, 0, Duration.ZERO, List.of());
    assertThatThrownBy(report::assertNothingLost).hasMessageContaining("the drain was not exercised");
  }

  @Test
  void requestsKeepTheirConnectionAlive() {
    assertThatThrownBy(() -> ProbeRequest.of("GET", "/", null, "Connection: close"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps its connection alive");
    assertThat(new String(ProbeRequest.of("PUT", "/b/k", "hi".getBytes(StandardCharsets.US_ASCII), "X-A: 1").bytes(), StandardCharsets.US_ASCII))
        .isEqualTo("PUT /b/k HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi");
  }

  /** Reads each connection's first request head and closes it unanswered: with a reset, or a plain close (FIN). */
  private static final class SilentCloser implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    SilentCloser(boolean reset) throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket s = socket.accept()) {
            BadServer.readHead(s.getInputStream());
            if (reset) {
              s.setSoLinger(true, 0); // close() then sends RST
            }
          } catch (IOException e) {
            // closed
          }
        }
      }, "silent-closer");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Answers the first request of a connection (chunked on odd connections), then closes without answering the second. */
  private static final class BadServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Thread acceptor = new Thread(this::serve, "bad-server");
    private final CountDownLatch answering = new CountDownLatch(1);
    private int connections;

    BadServer() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    /** Until this is called, the server reads the first request of a connection and waits. */
    void startAnswering() {
      answering.countDown();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          readHead(in);
          answering.await();
          String answer = connections++ % 2 == 0
              ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
              : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
          out.write(answer.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          readHead(in); // the second request: closed under it, unanswered
        } catch (IOException e) {
          // closed
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static void readHead(InputStream in) throws IOException {
      int matched = 0;
      int b;
      while (matched < 4 && (b = in.read()) >= 0) {
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
