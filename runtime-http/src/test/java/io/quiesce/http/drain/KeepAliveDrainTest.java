package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The classic shutdown loss (docs/DRAIN.md, losses 1 and 2): a connection the client believes open is closed
 * just as it writes its next request. The server must answer any request written to a connection
 * it accepted, and close idle connections only after the grace, without holding shutdown for them.
 */
@Timeout(60)
class KeepAliveDrainTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aRequestWrittenOnAnIdleKeepAliveConnectionAfterTheListenerClosedGetsAComplete503NeverAnEof() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    try (RawConnection idle = RawConnection.open(port); RawConnection waiting = RawConnection.open(port)) {
      RawResponse first = idle.exchange("/ok");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("Connection")).as("kept alive").isNull();
      waiting.sendGet("/hold");
      Held slow = emulator.held().next();

      Future<ShutdownReport> report = emulator.shutdown();
      awaitListenerClosed(port);

      RawResponse refused = idle.exchange("/ok"); // fails with LostRequest on EOF or reset
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("error")).isEqualTo("draining");
      assertThat(refused.asksToClose()).isTrue();
      assertThat(idle.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);

      slow.release("done");
      RawResponse done = waiting.read();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.asksToClose()).isTrue();
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  @Test
  void aConnectionAcceptedBeforeShutdownButNotYetUsedGetsAComplete503Too() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    try (RawConnection fresh = RawConnection.open(port); RawConnection waiting = RawConnection.open(port)) {
      // The server accepts in order: once the later connection is served, the fresh one was accepted.
      waiting.sendGet("/hold");
      Held slow = emulator.held().next();

      Future<ShutdownReport> report = emulator.shutdown();
      awaitListenerClosed(port);

      RawResponse refused = fresh.exchange("/ok");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.asksToClose()).isTrue();
      assertThat(fresh.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);

      slow.release("done");
      assertThat(waiting.read().status()).isEqualTo(200);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheGraceAndShutdownDoesNotWaitForTheDrainTimeout() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=200ms", "server.drain_timeout=20s");
    try (RawConnection idle = RawConnection.open(emulator.port())) {
      long sentAt = System.nanoTime();
      assertThat(idle.exchange("/ok").status()).isEqualTo(200);

      Future<ShutdownReport> report = emulator.shutdown();

      assertThat(idle.awaitEnd(Duration.ofSeconds(5))).as("closed cleanly by the server").isEqualTo(Ending.EOF);
      long idleForMs = (System.nanoTime() - sentAt) / 1_000_000;
      assertThat(idleForMs).as("not closed before it had been idle for the grace").isGreaterThanOrEqualTo(200);
      ShutdownReport done = TestEmulator.await(report, Duration.ofSeconds(5));
      assertThat(done.clean()).as("%s", done).isTrue();
      assertThat(done.total()).isLessThan(Duration.ofSeconds(5));
    }
  }

  /**
   * The narrowest race of all: a request read before drain began is answered after it began, in
   * the same read (a handler that answers at once). The answer asks to close, and the connection
   * closes once the request has been read whole — but only after the answer was sent: closing
   * with the answer still waiting for the read's flush would drop it (EOF, 0 bytes).
   */
  @Test
  void aRequestReadJustBeforeDrainBeganAndAnsweredJustAfterGetsItsAnswerBeforeTheClose() throws Exception {
    AtomicReference<WorkTracker> tracker = new AtomicReference<>();
    emulator = TestEmulator.start(rt -> rt.router().get("/drain-then-answer").handler(ctx -> {
      tracker.get().beginDrain(); // the signal lands between the read of the head and the answer
      ctx.response().end("answered");
    }), "server.drain_delay=0s");
    tracker.set(emulator.runtime().tracker());
    try (RawConnection connection = RawConnection.open(emulator.port())) {
      RawResponse answer = connection.exchange("/drain-then-answer"); // fails with LostRequest on EOF or reset

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("answered");
      assertThat(answer.asksToClose()).isTrue();
      assertThat(connection.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
    }
  }

  /** New connects are refused once the listening socket is closed: the server is past accepting. */
  private void awaitListenerClosed(int port) {
    assertThat(emulator.runtime().tracker().phase()).isEqualTo(WorkTracker.Phase.REFUSING);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> RawConnection.connectRefused(port));
  }
}
