package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.DrainReport;
import io.quiesce.test.probe.Outcome;
import io.quiesce.test.probe.ProbeLoad;
import io.quiesce.test.probe.ProbeResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The promise itself: SIGTERM to a real emulator process under keep-alive load, some requests
 * slow, and not one request written to an accepted connection goes unanswered.
 */
class DrainUnderLoadTest {

  private static final int LOOPS = 32;
  private static final int SLOW_LOOPS = 8;

  @Test
  void sigtermUnderKeepAliveLoadLosesNoRequest() throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("server.shutdown_timeout=15s", "server.drain_timeout=10s").startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      ProbeLoad load = DemoLoad.probe(new InetSocketAddress("127.0.0.1", port), LOOPS, SLOW_LOOPS).start();

      // Signal mid-load: once every loop has had time to settle into keep-alive traffic.
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 2_000);
      long signalAt = System.nanoTime();
      load.markSignal(signalAt);
      emulator.signal(Signal.TERM);

      load.awaitEnd(Duration.ofSeconds(60));
      int exit = emulator.awaitExit(Duration.ofSeconds(30));
      long signalToExitMs = (System.nanoTime() - signalAt) / 1_000_000;
      List<ProbeResult> results = load.results();
      String report = DrainReport.table(results) + "signal to exit: " + signalToExitMs + " ms, exit code " + exit;
      System.out.println(report);

      assertThat(exit).as(report + "\n" + emulator.output()).isZero();
      assertThat(count(results, r -> r.outcome() == Outcome.OTHER_STATUS)).as(report).isZero();
      // Every loop kept sending until the listener refused it: drain really happened under load.
      assertThat(count(results, r -> r.outcome() == Outcome.CONNECT_REFUSED)).as(report).isEqualTo(LOOPS);
      // Sent before the signal: served, or — when the server read it only after it began refusing,
      // as a loaded machine makes likely — a complete 503. Never lost, never anything else.
      assertThat(count(results, r -> !r.afterSignal() && r.outcome() != Outcome.OK && r.outcome() != Outcome.REFUSED_503))
          .as(report).isZero();
      // On a reused keep-alive connection nothing is ever lost: the classic race.
      assertThat(count(results, r -> r.reused() && r.lost())).as(report).isZero();
      // No response is ever cut or left hanging.
      assertThat(count(results, r -> r.outcome() == Outcome.LOST_PARTIAL || r.outcome() == Outcome.LOST_TIMEOUT)).as(report).isZero();
      // The one window no server closes: a fresh connect queued in the kernel's backlog when the
      // listening socket closes. Measured 0 to 1 here; Vert.x's own shutdown loses 28 to 43 on
      // fresh connections in this same test, so the bound still tells the two apart.
      assertThat(count(results, r -> !r.reused() && r.lost())).as(report).isLessThanOrEqualTo(LOOPS / 4);
      // The load really met the drain: requests on reused connections after the signal, slow ones
      // finishing during it.
      assertThat(count(results, r -> r.afterSignal() && r.reused() && !r.lost())).as(report).isPositive();
      assertThat(count(results, r -> r.slow() && r.outcome() == Outcome.OK)).as(report).isPositive();
      assertThat(emulator.output()).contains("Lifecycle DRAINING -> STOPPING").contains("Exiting with code 0");
    }
  }

  private static long count(List<ProbeResult> results, Predicate<ProbeResult> p) {
    return results.stream().filter(p).count();
  }
}
