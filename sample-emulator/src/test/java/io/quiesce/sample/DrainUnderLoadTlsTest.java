package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.sample.RaceRounds.Round;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import io.quiesce.test.probe.DrainReport;
import io.quiesce.test.probe.Outcome;
import io.quiesce.test.probe.ProbeLoad;
import io.quiesce.test.probe.ProbeResult;
import io.quiesce.test.probe.TlsConnection;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise over TLS (docs/DRAIN.md, "as the protocol inside"): SIGTERM to a real emulator serving
 * HTTPS under keep-alive load loses no request on a reused connection, and every connection the
 * server ends — after a {@code Connection: close} response or idle during the drain — ends with the
 * TLS {@code close_notify}, never a bare FIN or reset.
 */
class DrainUnderLoadTlsTest {

  private static final int LOOPS = 16;
  private static final int SLOW_LOOPS = 4;

  @Test
  void sigtermUnderTlsKeepAliveLoadLosesNoRequestAndClosesWithCloseNotify(@TempDir Path states) throws Exception {
    RaceRounds.untilTheRaceIsExercised(round -> drainRound(Files.createDirectories(states.resolve("round-" + round))));
  }

  private static Round drainRound(Path state) throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("process.state_dir=" + state, "server.tls.enabled=true", "server.tls.self_signed=true",
            "server.shutdown_timeout=15s", "server.drain_timeout=10s")
        .startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(60));
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
      SSLContext trusting = TestCertificates.trustingContext(state.resolve("tls").resolve("localhost.crt"));
      // One connection that is answered once, then stays idle: the drain closes it after idle_grace.
      Socket plain = new Socket();
      plain.setSoTimeout(20_000);
      plain.connect(address);
      TlsConnection idle = TlsConnection.handshake(trusting, plain, address);
      OutputStream out = idle.output();
      out.write("GET /_demo/slow?ms=0 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ProbeLoad load = DemoLoad.probe(address, LOOPS, SLOW_LOOPS).tls(trusting).start();

      await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 1_000);
      long signalAt = System.nanoTime();
      load.markSignal(signalAt);
      emulator.signal(Signal.TERM);
      // Read the idle connection's one response, then wait for how it ends.
      CompletableFuture<String> idleEnd = CompletableFuture.supplyAsync(() -> {
        try {
          byte[] buffer = new byte[8192];
          String seen = "";
          while (!seen.contains("\r\n\r\n") || !seen.endsWith("}")) {
            int n = idle.input().read(buffer);
            if (n < 0) {
              return "EOF inside the first response";
            }
            seen += new String(buffer, 0, n, StandardCharsets.US_ASCII);
          }
          return idle.awaitCloseNotify();
        } catch (Exception e) {
          return e.toString();
        }
      });

      load.awaitEnd(Duration.ofSeconds(60));
      int exit = emulator.awaitExit(Duration.ofSeconds(30));
      long signalToExitMs = (System.nanoTime() - signalAt) / 1_000_000;
      List<ProbeResult> results = load.results();
      String report = DrainReport.table(results) + "signal to exit: " + signalToExitMs + " ms, exit code " + exit
          + "; close_notify after Connection: close: " + load.closeNotifies() + ", unclean: " + load.uncleanCloses()
          + "; lost: " + load.lossDetails();
      System.out.println(report);

      assertThat(exit).as(report + "\n" + emulator.output()).isZero();
      assertThat(signalToExitMs).as(report).isLessThan(15_000);
      assertThat(idleEnd.get(30, TimeUnit.SECONDS)).as("how the idle TLS connection ended (null: close_notify)").isNull();
      assertThat(load.uncleanCloses()).as(report).isEmpty();
      assertThat(load.closeNotifies()).as(report).isPositive();
      // Every request classified, and none unexpected.
      assertThat(results.stream().map(ProbeResult::outcome)).as(report).doesNotContainNull();
      assertThat(count(results, r -> r.outcome() == Outcome.OTHER_STATUS)).as(report).isZero();
      // Every loop kept going until the server would not take a new connection.
      assertThat(count(results, r -> r.outcome() == Outcome.CONNECT_REFUSED || r.outcome() == Outcome.HANDSHAKE_FAILED))
          .as(report).isEqualTo(LOOPS);
      assertThat(count(results, r -> !r.afterSignal() && r.outcome() != Outcome.OK && r.outcome() != Outcome.REFUSED_503))
          .as(report).isZero();
      // Nothing is lost, on reused connections or fresh ones: over TLS the one window no server
      // closes (a connect queued in the backlog when the listener closes) fails the handshake,
      // before anything is written, so even that is not a loss here.
      assertThat(count(results, ProbeResult::lost)).as(report).isZero();
      assertThat(count(results, r -> r.slow() && r.outcome() == Outcome.OK)).as(report).isPositive();
      assertThat(emulator.output()).contains("Lifecycle DRAINING -> STOPPING").contains("Exiting with code 0");
      return RaceRounds.round(report, results); // whether the load really met the drain
    }
  }

  private static long count(List<ProbeResult> results, Predicate<ProbeResult> p) {
    return results.stream().filter(p).count();
  }
}
