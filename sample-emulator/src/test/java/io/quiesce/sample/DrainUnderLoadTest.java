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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The promise itself: SIGTERM to a real emulator process under keep-alive load, some requests
 * slow, and not one request written to an accepted connection goes unanswered — also with every
 * core of the machine kept busy, so that the server and its clients get the CPU late.
 */
class DrainUnderLoadTest {

  private static final int LOOPS = 32;
  private static final int SLOW_LOOPS = 8;

  @Test
  void sigtermUnderKeepAliveLoadLosesNoRequest() throws Exception {
    RaceRounds.untilTheRaceIsExercised(round -> drainUnderLoad(0));
  }

  /**
   * Two busy threads per core from just before the signal until the loops end, and a short idle
   * grace: a client that stalls between two requests for longer than the grace is then likely, and
   * it must still be answered, since its connection stays open while anything is in flight (an idle
   * close after the grace alone lost such requests).
   */
  @Test
  void sigtermUnderKeepAliveLoadWithTheCpuSaturatedLosesNoRequest() throws Exception {
    RaceRounds.untilTheRaceIsExercised(round -> drainUnderLoad(2, "server.idle_grace=100ms"));
  }

  private static Round drainUnderLoad(int busyPerCore, String... settings) throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("server.shutdown_timeout=15s", "server.drain_timeout=10s").set(settings).startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      ProbeLoad load = DemoLoad.probe(new InetSocketAddress("127.0.0.1", port), LOOPS, SLOW_LOOPS).start();

      // Signal mid-load: once every loop has had time to settle into keep-alive traffic.
      await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() >= 2_000);
      long signalAt;
      int exit;
      try (CpuSaturation busy = CpuSaturation.start(busyPerCore, Duration.ofSeconds(90))) {
        signalAt = System.nanoTime();
        load.markSignal(signalAt);
        emulator.signal(Signal.TERM);
        load.awaitEnd(Duration.ofSeconds(60));
        exit = emulator.awaitExit(Duration.ofSeconds(30));
      }
      long signalToExitMs = (System.nanoTime() - signalAt) / 1_000_000;
      List<ProbeResult> results = load.results();
      String report = DrainReport.table(results) + "signal to exit: " + signalToExitMs + " ms, exit code " + exit
          + (busyPerCore > 0 ? ", CPU saturated (" + busyPerCore + " busy threads per core)" : "")
          + "\nlosses: " + load.lossDetails();
      System.out.println(report);

      assertThat(exit).as(report + "\n" + emulator.output()).isZero();
      assertThat(count(results, r -> r.outcome() == Outcome.OTHER_STATUS)).as(report).isZero();
      // Every loop kept sending until the listener refused it: drain really happened under load.
      assertThat(count(results, r -> r.outcome() == Outcome.CONNECT_REFUSED)).as(report).isEqualTo(LOOPS);
      // Answered before the signal was sent: served, whatever it was. A 503 is right only for a
      // request the server read after it began refusing, so only for one still unanswered when the
      // signal went out (at most one per loop: a loop has one request out at a time).
      assertThat(count(results, r -> !r.afterSignal() && r.outcome() != Outcome.OK
          && !(r.outcome() == Outcome.REFUSED_503 && r.doneNanos() > signalAt))).as(report).isZero();
      // The server never resets a connection under a client that may still write: a write cannot
      // fail at once on a connection the client still holds (docs/DRAIN.md: only a connection
      // already known dead may fail a write, and the server kills none).
      assertThat(count(results, r -> r.outcome() == Outcome.WRITE_FAILED)).as(report).isZero();
      // On a reused keep-alive connection nothing is ever lost: the classic race.
      assertThat(count(results, r -> r.reused() && r.lost())).as(report).isZero();
      // No response is ever cut or left hanging.
      assertThat(count(results, r -> r.outcome() == Outcome.LOST_PARTIAL || r.outcome() == Outcome.LOST_TIMEOUT)).as(report).isZero();
      // The one window no server closes (docs/DRAIN.md, loss 4): a fresh connect queued in the
      // kernel's backlog when the listening socket closes is reset. Its signature: a reset (the
      // kernel's; a server closing a connection it has sends FIN: EOF), after the signal, and the
      // loop's very next connect is refused (the listener was already closed). Any other fresh
      // loss is the server dropping a connection it accepted.
      for (ProbeResult lost : results.stream().filter(r -> !r.reused() && r.lost()).toList()) {
        assertThat(lost.outcome()).as(report).isEqualTo(Outcome.LOST_RESET);
        assertThat(lost.afterSignal()).as(report).isTrue();
        assertThat(next(results, lost)).as("after %s: %s", lost, report).extracting(ProbeResult::outcome).isEqualTo(Outcome.CONNECT_REFUSED);
      }
      assertThat(count(results, r -> r.slow() && r.outcome() == Outcome.OK)).as(report).isPositive();
      assertThat(emulator.output()).contains("Lifecycle DRAINING -> STOPPING").contains("Exiting with code 0");
      return RaceRounds.round(report, results); // whether the load really met the drain
    }
  }

  /** What the same loop did after {@code r}. */
  private static ProbeResult next(List<ProbeResult> results, ProbeResult r) {
    List<ProbeResult> own = results.stream().filter(x -> x.loop() == r.loop()).toList();
    int i = own.indexOf(r);
    return i + 1 < own.size() ? own.get(i + 1) : null;
  }

  private static long count(List<ProbeResult> results, Predicate<ProbeResult> p) {
    return results.stream().filter(p).count();
  }
}
