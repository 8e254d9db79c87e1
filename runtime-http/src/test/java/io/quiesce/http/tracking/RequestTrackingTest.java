package io.quiesce.http.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.HeldRequests;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every request to an emulator route is counted while it runs, and once the runtime refuses work a
 * new request gets a complete 503 that tells the client to go away and come back: never a reset.
 */
@Timeout(60)
class RequestTrackingTest {

  private TestEmulator emulator;
  // Clients held for the whole test: Vert.x closes a client, and its connections, once it is
  // unreachable (a Cleaner), which a garbage collection in the middle of a test would otherwise do.
  private HttpClient http2;
  private WebSocketClient webSockets;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void whileRunningARouteAnswersNormallyAndARequestInProgressCountsAsInFlight() throws Exception {
    emulator = TestEmulator.start();
    int port = emulator.port();

    RawResponse ok = RawConnection.get(port, "/ok");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok");
    assertThat(RawConnection.get(port, "/no-such-route").status()).isEqualTo(404);
    assertThat(RawConnection.get(port, "/_quiesce/health").json().getLong("in_flight_requests"))
        .as("answered requests, a 404 included, no longer count").isZero();

    try (RawConnection slow = RawConnection.open(port)) {
      slow.sendGet("/hold");
      Held held = emulator.held().next();

      assertThat(RawConnection.get(port, "/_quiesce/health").json().getLong("in_flight_requests"))
          .as("the slow request is counted; the health probe itself is not").isEqualTo(1);

      held.release("done");
      RawResponse done = slow.read();
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.body()).isEqualTo("done");
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> RawConnection.get(port, "/_quiesce/health").json().getLong("in_flight_requests") == 0);
  }

  @Test
  void aRequestWhoseClientDisconnectsStopsCountingAndDoesNotHoldShutdown() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.drain_timeout=20s");
    int port = emulator.port();
    try (RawConnection abandoned = RawConnection.open(port)) {
      abandoned.sendGet("/hold");
      emulator.held().next();
      assertThat(emulator.runtime().tracker().inFlight()).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(5))
        .until(() -> RawConnection.get(port, "/_quiesce/health").json().getLong("in_flight_requests") == 0);

    ShutdownReport report = TestEmulator.await(emulator.shutdown(), Duration.ofSeconds(5));
    assertThat(report.clean()).as("%s", report).isTrue();
  }

  @Test
  void whenRefusingANewRequestGetsA503DrainingWithRetryAfterAndConnectionCloseThenTheServerCloses() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s", "server.retry_after=1500ms");
    int port = emulator.port();
    try (RawConnection waiting = RawConnection.open(port); RawConnection client = RawConnection.open(port)) {
      assertThat(client.exchange("/ok").status()).as("keep-alive connection in use before shutdown").isEqualTo(200);
      waiting.sendGet("/hold");
      Held slow = emulator.held().next();

      Future<ShutdownReport> report = emulator.shutdown();
      awaitRefusing();

      RawResponse refused = client.exchange("/ok");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Content-Type")).startsWith("application/json");
      assertThat(refused.json().getString("error")).isEqualTo("draining");
      assertThat(refused.json().getString("message")).isNotBlank();
      assertThat(refused.header("Retry-After")).as("1500ms rounded up to whole seconds").isEqualTo("2");
      assertThat(refused.asksToClose()).as("Connection: close, got %s", refused.headers()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).as("the server closes the connection after the 503").isEqualTo(Ending.EOF);

      slow.release("done");
      assertThat(waiting.read().status()).isEqualTo(200);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }

  @Test
  void aPostWithABodyWhileRefusingGetsAComplete503AndItsBodyIsReadNotReset() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().post("/upload").handler(ctx -> ctx.response().end("stored")),
        "server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    // Larger than the socket buffers: if the server closed without reading the body, the client's
    // write would fail or its read would meet a reset.
    byte[] body = new byte[4 * 1024 * 1024];
    Arrays.fill(body, (byte) 'x');
    try (RawConnection waiting = RawConnection.open(port); RawConnection client = RawConnection.open(port)) {
      assertThat(client.exchange("/ok").status()).isEqualTo(200);
      waiting.sendGet("/hold");
      emulator.held().next();

      emulator.shutdown();
      awaitRefusing();

      client.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // The body goes out on another thread: the 503 may come back before it is all written.
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          client.write(body);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });

      RawResponse refused = client.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("error")).isEqualTo("draining");
      assertThat(refused.asksToClose()).isTrue();
      upload.get(10, TimeUnit.SECONDS); // the whole body was accepted by the server, none of it reset
      assertThat(client.awaitEnd(Duration.ofSeconds(5))).isEqualTo(Ending.EOF);
    }
  }

  @Test
  void aRouteWhosePathOnlyBeginsWithHealthIsCountedAndRefusedLikeAnyOther() throws Exception {
    // An S3-style emulator serving a bucket named "healthcare-data": its requests are ordinary work.
    HeldRequests bucket = new HeldRequests();
    emulator = TestEmulator.start(rt -> rt.router().get("/healthcare-data/*").handler(bucket),
        "server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    // Opened before the held one: accepted in order, so accepted before the listener closes.
    try (RawConnection client = RawConnection.open(port); RawConnection waiting = RawConnection.open(port)) {
      waiting.sendGet("/healthcare-data/report.csv");
      bucket.next();
      assertThat(RawConnection.get(port, "/_quiesce/health").json().getLong("in_flight_requests"))
          .as("a request to /healthcare-data is in flight").isEqualTo(1);

      Future<ShutdownReport> report = emulator.shutdown();
      awaitRefusing();
      RawResponse refused = client.exchange("/healthcare-data/other.csv");
      assertThat(refused.status()).as("refused like any emulator route").isEqualTo(503);
      assertThat(refused.json().getString("error")).isEqualTo("draining");
      bucket.releaseAll();
      assertThat(TestEmulator.await(report).phases().get(0).inFlightAtStart()).isEqualTo(1);
    } finally {
      bucket.releaseAll();
    }
  }

  /**
   * An emulator route that takes the response's own end handler slot, as an emulator may: the
   * tracker must still learn the end (vert.x-web's {@code addEndHandler} takes that slot too, so a
   * tracker listening through it would never be told, and drain would wait until its deadline).
   */
  private static void ownEndHandlerRoute(io.quiesce.api.QuiesceRuntime rt) {
    rt.router().get("/own-end").handler(ctx -> {
      ctx.response().endHandler(v -> { }); // the emulator's own, in the response's single slot
      ctx.response().end("own");
    });
  }

  @Test
  void aPipelinedRequestWhoseRouteSetsItsOwnResponseEndHandlerStillEndsItsCount() throws Exception {
    emulator = TestEmulator.start(RequestTrackingTest::ownEndHandlerRoute);
    try (RawConnection c = RawConnection.open(emulator.port())) {
      // Three requests in one write: the second and third are read while the first is held.
      c.write("GET /hold HTTP/1.1\r\nHost: t\r\n\r\nGET /own-end HTTP/1.1\r\nHost: t\r\n\r\n"
          + "GET /ok HTTP/1.1\r\nHost: t\r\n\r\n");
      emulator.held().next().release("first");
      assertThat(c.read().body()).isEqualTo("first");
      assertThat(c.read().body()).isEqualTo("own");
      assertThat(c.read().body()).isEqualTo("ok");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(emulator.runtime().tracker().inFlight())
        .as("all three answered: none left in flight").isZero());
    assertThat(emulator.runtime().health().requests().totalRequests()).isEqualTo(3);
  }

  /** {@link #http2}: an HTTP/2 client of the emulator, cleartext with prior knowledge. */
  private void http2Client(Vertx client) {
    http2 = client.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultPort(emulator.port()).setDefaultHost("127.0.0.1"));
  }

  @Test
  void anHttp2RequestWhoseRouteSetsItsOwnResponseEndHandlerStillEndsItsCount() throws Exception {
    emulator = TestEmulator.start(RequestTrackingTest::ownEndHandlerRoute, "server.drain_delay=0s");
    Vertx client = Vertx.vertx();
    try {
      http2Client(client);
      String body = TestEmulator.await(http2.request(HttpMethod.GET, "/own-end").compose(r -> r.send())
          .compose(r -> r.body().map(b -> r.version() + " " + r.statusCode() + " " + b)));
      assertThat(body).isEqualTo("HTTP_2 200 own");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(emulator.runtime().tracker().inFlight())
          .as("answered: no longer in flight").isZero());
      ShutdownReport report = TestEmulator.await(emulator.shutdown(), Duration.ofSeconds(10));
      assertThat(report.clean()).as("%s", report).isTrue();
    } finally {
      client.close();
    }
  }

  @Test
  void anHttp2StreamIsInFlightUntilAnsweredAndAResetStreamEndsItsCount() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s");
    Vertx client = Vertx.vertx();
    try {
      http2Client(client);
      Future<String> answered = http2.request(HttpMethod.GET, "/hold").compose(r -> r.send())
          .compose(r -> r.body().map(b -> r.statusCode() + " " + b));
      emulator.held().next().release("held");
      assertThat(TestEmulator.await(answered)).isEqualTo("200 held");
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().inFlight() == 0);

      HttpClientRequest abandoned = TestEmulator.await(http2.request(HttpMethod.GET, "/hold"));
      abandoned.end();
      emulator.held().next();
      assertThat(emulator.runtime().tracker().inFlight()).as("held: in flight").isEqualTo(1);
      abandoned.reset();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(emulator.runtime().tracker().inFlight())
          .as("its stream reset by the client: no longer in flight").isZero());
    } finally {
      client.close();
    }
  }

  @Test
  void anOpenWebSocketIsNotARequestInFlightOnceItsUpgradeIsAnswered() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().get("/ws").handler(ctx -> ctx.request().toWebSocket()
        .onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage))));
    Vertx client = Vertx.vertx();
    try {
      webSockets = client.createWebSocketClient();
      WebSocket ws = TestEmulator.await(webSockets.connect(emulator.port(), "127.0.0.1", "/ws"));
      CompletableFuture<String> echo = new CompletableFuture<>();
      ws.textMessageHandler(echo::complete);
      ws.writeTextMessage("hello");
      assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
      assertThat(emulator.runtime().tracker().inFlight()).as("the WebSocket is open: a connection, not a request").isZero();
      assertThat(emulator.runtime().health().requests().totalRequests()).as("its upgrade was one request").isEqualTo(1);
    } finally {
      client.close();
    }
  }

  private void awaitRefusing() {
    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
  }
}
