package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  /**
   * With HTTP/2 on (the default), Vert.x sets a cleartext connection up only once its first bytes
   * arrive; the drain knows it from the accept all the same, and does not end before it had its
   * grace, although nothing else is in flight.
   */
  @Test
  void aConnectionThatNeverSentAByteBeforeShutdownIsAnsweredAlsoWithNothingElseInFlight() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    try (RawConnection fresh = RawConnection.open(port)) {
      // The server accepts in order: once a later connection is served, the fresh one was accepted.
      assertThat(RawConnection.get(port, "/ok").status()).isEqualTo(200);

      Future<ShutdownReport> report = emulator.shutdown();
      awaitListenerClosed(port);

      RawResponse refused = fresh.exchange("/ok"); // fails with LostRequest on EOF or reset
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.asksToClose()).isTrue();
      assertThat(fresh.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
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
   * A request read before the drain asked connections to end, answered after, inside the read that
   * ends it (an upload whose body comes after the listener closed): the answer asks to close, and
   * the connection closes once the request has been read whole — but only after the answer was
   * sent. Closing with the answer still waiting for the read's flush would drop it (EOF, 0 bytes).
   */
  @Test
  void aRequestReadBeforeTheDrainAndAnsweredInTheReadThatEndsItGetsItsAnswerBeforeTheClose() throws Exception {
    CountDownLatch headRead = new CountDownLatch(1);
    emulator = TestEmulator.start(rt -> rt.router().post("/upload").handler(ctx -> {
      headRead.countDown();
      ctx.request().body().onSuccess(body -> ctx.response().end("answered " + body.length()));
    }), "server.drain_delay=0s");
    int port = emulator.port();
    try (RawConnection connection = RawConnection.open(port)) {
      connection.write("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n");
      assertThat(headRead.await(10, TimeUnit.SECONDS)).as("the head was read").isTrue();

      Future<ShutdownReport> report = emulator.shutdown();
      awaitListenerClosed(port);
      RawResponse answer = connection.write("hello").read(); // fails with LostRequest on EOF or reset

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("answered 5");
      assertThat(answer.asksToClose()).isTrue();
      assertThat(connection.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  /**
   * Without a drain delay, nothing asks a client to close its connection before the listening
   * socket is closed: a client told to close then would reconnect into the listen backlog, which
   * the close resets (docs/DRAIN.md, loss 4). Here the drain is held at its first phase.
   */
  @Test
  void beforeTheListenerClosesResponsesKeepTheirConnectionsAlive() throws Exception {
    CompletableFuture<Void> readinessDown = new CompletableFuture<>();
    Promise<Void> holdDrain = Promise.promise();
    emulator = TestEmulator.start(rt -> rt.onShutdown(ShutdownPhase.READINESS_DOWN, "held by the test", c -> {
      readinessDown.complete(null);
      return holdDrain.future();
    }), "server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    try (RawConnection client = RawConnection.open(port)) {
      Future<ShutdownReport> report = emulator.shutdown();
      readinessDown.get(10, TimeUnit.SECONDS);

      RawResponse during;
      try {
        during = client.exchange("/ok");
      } finally {
        holdDrain.complete();
      }
      assertThat(during.status()).isEqualTo(200);
      assertThat(during.header("Connection")).as("kept alive while the listener is open").isNull();

      awaitListenerClosed(port);
      RawResponse refused = client.exchange("/ok");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.asksToClose()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  @Test
  void anUploadThatWaitedFor100ContinueAcrossTheListenerCloseGetsItsAnswer() throws Exception {
    // What an S3 SDK's PutObject does: Expect: 100-continue, the body only after the interim 100.
    // The 100 is not the exchange's answer: the connection must stay open for the body and the
    // final response, here given after the body was stored on a worker thread.
    CountDownLatch headRead = new CountDownLatch(1);
    AtomicReference<Context> handlerContext = new AtomicReference<>();
    AtomicReference<Runnable> continueAndStore = new AtomicReference<>();
    emulator = TestEmulator.start(rt -> rt.router().put("/upload").handler(ctx -> {
      handlerContext.set(ctx.vertx().getOrCreateContext());
      continueAndStore.set(() -> {
        ctx.response().writeContinue();
        ctx.request().body().onSuccess(body -> ctx.vertx().executeBlocking(body::length)
            .onSuccess(stored -> ctx.response().end("stored " + stored)));
      });
      headRead.countDown();
    }), "server.drain_delay=0s");
    int port = emulator.port();
    try (RawConnection connection = RawConnection.open(port)) {
      connection.write("PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertThat(headRead.await(10, TimeUnit.SECONDS)).as("the head was read").isTrue();

      Future<ShutdownReport> report = emulator.shutdown();
      awaitListenerClosed(port);
      handlerContext.get().runOnContext(v -> continueAndStore.get().run());
      assertThat(connection.read().status()).isEqualTo(100);
      RawResponse answer = connection.write("hello").read(); // fails with LostRequest on EOF or reset

      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("stored 5");
      assertThat(answer.asksToClose()).isTrue();
      assertThat(connection.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  /** New connects are refused once the listening socket is closed, and new requests refused with 503. */
  private void awaitListenerClosed(int port) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> RawConnection.connectRefused(port));
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
  }
}
