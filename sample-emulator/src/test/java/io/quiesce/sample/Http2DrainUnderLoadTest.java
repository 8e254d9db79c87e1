package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import io.quiesce.test.probe.Http2Load.Outcome;
import io.quiesce.test.probe.Http2Load.Result;
import io.quiesce.test.probe.Http2Load;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise over HTTP/2, h2c (prior knowledge) and h2 over TLS (ALPN): SIGTERM to a real emulator
 * process while many connections each carry many concurrent streams, slow and fast, and a
 * frame-level client classifies every stream. A stream the server accepted (at or below the final
 * GOAWAY's last-stream-id) always gets its complete response; the rest are refused in a way the
 * client may retry. {@link PlainShutdownHttp2Test} runs the same load against Vert.x's own
 * {@code HttpServer.shutdown} and sees it lose streams.
 */
class Http2DrainUnderLoadTest {

  static final int CONNECTIONS = 16;
  static final int STREAMS_PER_CONNECTION = 8;

  @Test
  void sigtermUnderH2cLoadLosesNoStream() throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("server.shutdown_timeout=15s", "server.drain_timeout=10s").startProcess()) {
      drainUnderLoad(emulator, false);
    }
  }

  @Test
  void sigtermUnderH2OverTlsLoadLosesNoStream(@TempDir Path state) throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("process.state_dir=" + state, "server.tls.enabled=true", "server.tls.self_signed=true",
            "server.shutdown_timeout=15s", "server.drain_timeout=10s")
        .startProcess()) {
      drainUnderLoad(emulator, true);
    }
  }

  private static void drainUnderLoad(EmulatorProcess emulator, boolean tls) throws Exception {
    int port = emulator.awaitReady(Duration.ofSeconds(60));
    Run run = Run.signalUnderLoad(emulator, port, tls);
    List<Result> results = run.results();
    String report = run.report() + "\n" + emulator.output();

    assertThat(run.exit()).as(report).isZero();
    assertThat(count(results, Result::lost)).as("streams the server accepted and never answered\n" + report).isZero();
    assertThat(count(results, r -> r.outcome() == Outcome.UNEXPECTED_STATUS)).as(report).isZero();
    // Two-phase GOAWAY: every drained connection got both frames, and the first admitted every
    // stream already in flight, so the final one refused none (a single GOAWAY leaves those
    // unprocessed, for the client to retry).
    assertThat(run.oneGoaway()).as("connections drained with a single GOAWAY\n" + report).isZero();
    assertThat(count(results, r -> r.outcome() == Outcome.ABOVE_GOAWAY)).as(report).isZero();
    // The drain met the load: every loop ran until the listener refused it.
    assertThat(count(results, r -> r.outcome() == Outcome.CONNECT_REFUSED)).as(report).isEqualTo(CONNECTIONS);
    assertThat(run.goaways()).as(report).isPositive();
    assertThat(emulator.output()).contains("Shutdown complete").doesNotContain("force-closed");
  }

  /** One SIGTERM under HTTP/2 load, every stream classified. */
  record Run(List<Result> results, long goaways, long oneGoaway, int exit, String report) {

    static Run signalUnderLoad(EmulatorProcess server, int port, boolean tls) throws Exception {
      Http2Load load = new Http2Load(new InetSocketAddress("127.0.0.1", port), ms -> "/_demo/slow?ms=" + ms, tls, CONNECTIONS, STREAMS_PER_CONNECTION, 40_000, 42);
      load.start();
      await().atMost(Duration.ofSeconds(90)).until(() -> load.completed() >= 1_000);
      long signalAt = System.nanoTime();
      load.markSignal(signalAt);
      server.signal(Signal.TERM);
      boolean ended = load.await(60_000);
      int exit = server.awaitExit(Duration.ofSeconds(30));
      long signalToExitMs = (System.nanoTime() - signalAt) / 1_000_000;
      List<Result> results = new ArrayList<>(load.results());
      String report = Http2Load.table(results) + "GOAWAY frames received: " + load.goawaysReceived()
          + ", connections closed after one GOAWAY: " + load.connectionsWithOneGoaway() + "\nsignal to exit: "
          + signalToExitMs + " ms, exit code " + exit + (ended ? "" : "\nsome client loops were still running");
      assertThat(ended).as(report).isTrue();
      return new Run(results, load.goawaysReceived(), load.connectionsWithOneGoaway(), exit, report);
    }
  }

  static long count(List<Result> results, Predicate<Result> p) {
    return results.stream().filter(p).count();
  }
}
