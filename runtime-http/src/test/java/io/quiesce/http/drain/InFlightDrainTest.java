package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests already running when shutdown begins: they finish and are answered in full; one that
 * never ends is cut at the drain timeout, and the report says so; a long wait that listens for
 * drain answers early instead of holding shutdown.
 */
@Timeout(60)
class InFlightDrainTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aRequestInProgressWhenShutdownBeginsCompletesWith200AndConnectionClose() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s");
    try (RawConnection client = RawConnection.open(emulator.port())) {
      client.sendGet("/hold");
      Held slow = emulator.held().next();

      Future<ShutdownReport> report = emulator.shutdown();
      assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
      assertThat(report.isComplete()).as("shutdown waits for the request").isFalse();
      // Answered once the listener is closed (refusing comes after it): from then on an answer
      // ends its connection. One given before keeps it alive, as the drain order says.
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
      slow.release("done");

      RawResponse done = client.read();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("done");
      assertThat(done.asksToClose()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);

      ShutdownReport stopped = TestEmulator.await(report);
      assertThat(stopped.clean()).as("%s", stopped).isTrue();
      assertThat(stopped.phases().get(0).name()).isEqualTo("readiness_down");
      assertThat(stopped.phases().get(0).inFlightAtStart()).as("in flight when shutdown began").isEqualTo(1);
      ShutdownReport.Phase draining = stopped.phases().get(3);
      assertThat(draining.name()).isEqualTo("drain_requests");
      assertThat(draining.inFlightAtEnd()).isZero();
    }
  }

  @Test
  void aRequestPipelinedBehindAnInFlightOneGetsItsOwnAnswer() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s");
    try (RawConnection client = RawConnection.open(emulator.port())) {
      // Both requests in one write: the second is pipelined, read by the server while the first runs.
      client.write("GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      Held slow = emulator.held().next();
      Future<ShutdownReport> report = emulator.shutdown();
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
      slow.release("done");

      RawResponse done = client.read();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("done");
      // RFC 9112 9.6: no request may be processed after a "close", so the first response stays
      // keep-alive and the pipelined request gets its own complete answer, which closes.
      assertThat(done.asksToClose()).isFalse();
      RawResponse refused = client.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.asksToClose()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  @Test
  void aRequestThatNeverEndsIsCutAtTheDrainTimeoutAndTheReportSaysSo() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.drain_timeout=300ms");
    try (RawConnection client = RawConnection.open(emulator.port())) {
      client.sendGet("/hold");
      emulator.held().next(); // and never released

      ShutdownReport report = TestEmulator.await(emulator.shutdown(), Duration.ofSeconds(10));

      assertThat(report.forced()).as("%s", report).isTrue();
      assertThat(report.clean()).isFalse();
      assertThat(report.cut()).as("the report names the request that was cut")
          .anySatisfy(cut -> assertThat(cut).startsWith("drain_requests/http connections: force-closed 1 connection(s): GET /hold"));
      // Tasks force at their deadline, 5 % of what is left (at most 50 ms) before the drain timeout.
      assertThat(report.total()).isGreaterThanOrEqualTo(Duration.ofMillis(285));
      assertThat(report.phases().get(3).inFlightAtStart()).isEqualTo(1);
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).as("the connection was closed by the server").isEqualTo(Ending.EOF);
    }
  }

  @Test
  void aLongWaitSubscribedToDrainAnswersEarlyAndDoesNotHoldShutdown() throws Exception {
    CountDownLatch subscribed = new CountDownLatch(1);
    emulator = TestEmulator.start(rt -> rt.router().get("/wait").handler(ctx -> {
      long timer = rt.vertx().setTimer(30_000, t -> ctx.response().end("late"));
      rt.onDrain(v -> {
        rt.vertx().cancelTimer(timer);
        ctx.response().end("early");
      });
      subscribed.countDown();
    }), "server.drain_delay=0s");
    try (RawConnection client = RawConnection.open(emulator.port())) {
      client.sendGet("/wait");
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();

      long t0 = System.nanoTime();
      Future<ShutdownReport> report = emulator.shutdown();
      RawResponse early = client.read();

      assertThat(early.status()).isEqualTo(200);
      assertThat(early.body()).isEqualTo("early");
      ShutdownReport stopped = TestEmulator.await(report, Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      assertThat(stopped.clean()).as("%s", stopped).isTrue();
    }
  }
}
