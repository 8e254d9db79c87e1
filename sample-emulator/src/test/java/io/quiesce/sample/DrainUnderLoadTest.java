package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.sample.RawHttpLoad.Outcome;
import io.quiesce.sample.RawHttpLoad.Result;
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
    try (EmulatorProcess emulator = EmulatorProcess.start(
        "--set", "server.port=0", "--set", "server.shutdown_timeout=15s", "--set", "server.drain_timeout=10s")) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      RawHttpLoad load = new RawHttpLoad(new InetSocketAddress("127.0.0.1", port), LOOPS, SLOW_LOOPS, 0.0, 20_000, 60_000, 20_000, 42);
      List<Thread> loops = load.start();

      // Signal mid-load: once every loop has had time to settle into keep-alive traffic.
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 2_000);
      long signalAt = System.nanoTime();
      load.markSignal(signalAt);
      emulator.signal("TERM");

      for (Thread t : loops) {
        t.join(Duration.ofSeconds(60).toMillis());
        assertThat(t.isAlive()).as("load loop %s finished", t.getName()).isFalse();
      }
      int exit = emulator.awaitExit(Duration.ofSeconds(30));
      long signalToExitMs = (System.nanoTime() - signalAt) / 1_000_000;
      List<Result> results = load.results();
      String report = RawHttpLoad.table(results) + "signal to exit: " + signalToExitMs + " ms, exit code " + exit;
      System.out.println(report);

      assertThat(exit).as(report + "\n" + emulator.output()).isZero();
      assertThat(count(results, r -> r.outcome() == Outcome.UNEXPECTED_STATUS)).as(report).isZero();
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

  private static long count(List<Result> results, Predicate<Result> p) {
    return results.stream().filter(p).count();
  }
}
