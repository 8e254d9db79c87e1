package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawHttp2;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code server.header_read_timeout} and {@code server.idle_timeout}, HTTP/1.1 and HTTP/2 (h2c) on
 * the defaults: a connection that does not send a complete request head in time, or stays idle
 * between requests too long, is closed — an HTTP/2 one after a GOAWAY — and a request in progress
 * never is, however long it runs.
 */
@Timeout(60)
class ConnectionTimeoutsTest {

  private static final Duration HEADER = Duration.ofMillis(400);
  /**
   * The header-read timeout for tests through Vert.x's HTTP/2 client, which on a cold, busy JVM
   * may take longer than {@link #HEADER} from the connect to its first request (the first stream's
   * deadline is tested with raw frames).
   */
  private static final Duration CLIENT_HEADER = Duration.ofSeconds(10);
  private static final Duration IDLE = Duration.ofMillis(1500);

  private TestEmulator emulator;
  private final Vertx clientVertx = Vertx.vertx();
  // Held for the whole test: Vert.x closes a client, and its connections, once it is unreachable
  // (a Cleaner), which a garbage collection in the middle of a test would otherwise do.
  private HttpClientAgent h2c;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
    clientVertx.close();
  }

  private int start() throws Exception {
    return start(HEADER);
  }

  private int start(Duration headerRead) throws Exception {
    // server.http2 keeps its default (on): a cleartext connection's protocol is known only from its
    // first bytes, and the timeouts hold from the accept on all the same.
    emulator = TestEmulator.start("server.header_read_timeout=" + headerRead.toMillis() + "ms",
        "server.idle_timeout=" + IDLE.toMillis() + "ms");
    return emulator.port();
  }

  /** HTTP/2 on (the default), or off: Vert.x sets a cleartext connection up at its first bytes, or at once. */
  private int start(boolean http2) throws Exception {
    emulator = TestEmulator.start("server.header_read_timeout=" + HEADER.toMillis() + "ms",
        "server.idle_timeout=" + IDLE.toMillis() + "ms", "server.http2=" + http2);
    return emulator.port();
  }

  @ParameterizedTest(name = "HTTP/2 on: {0}")
  @ValueSource(booleans = {true, false})
  void aConnectionThatSendsNothingIsClosedAfterTheHeaderReadTimeout(boolean http2) throws Exception {
    int port = start(http2);
    // Before the connect: the server's clock starts at its accept, which open() may return after.
    long opened = System.nanoTime();
    try (RawConnection silent = RawConnection.open(port)) {
      assertThat(silent.awaitEnd(Duration.ofSeconds(10))).isEqualTo(Ending.EOF);
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(HEADER).isLessThan(IDLE);
    }
  }

  /** With TLS the clock starts at the accept too, not at the end of the handshake (which Vert.x bounds by 10 s only). */
  @Test
  void aTlsConnectionThatNeverBeginsItsHandshakeIsClosedAfterTheHeaderReadTimeout(@TempDir Path state) throws Exception {
    emulator = TestEmulator.start("server.header_read_timeout=" + HEADER.toMillis() + "ms", "server.idle_timeout=" + IDLE.toMillis() + "ms",
        "server.tls.enabled=true", "server.tls.self_signed=true", "process.state_dir=" + state);
    try (RawConnection warmUp = RawConnection.open(emulator.port())) {
      // The first TLS connection sets up the server's TLS engine, seconds on a busy machine.
      assertThat(warmUp.awaitEnd(Duration.ofSeconds(15))).isEqualTo(Ending.EOF);
    }
    // Before the connect: the server's clock starts at its accept, which open() may return after.
    long opened = System.nanoTime();
    try (RawConnection silent = RawConnection.open(emulator.port())) {
      assertThat(silent.awaitEnd(Duration.ofSeconds(10))).isEqualTo(Ending.EOF);
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(HEADER).isLessThan(IDLE);
    }
  }

  @ParameterizedTest(name = "HTTP/2 on: {0}")
  @ValueSource(booleans = {true, false})
  void aHeadSentTooSlowlyGets408AndTheEnd(boolean http2) throws Exception {
    int port = start(http2);
    try (RawConnection slowloris = RawConnection.open(port)) {
      RawResponse r = slowloris.write("GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a").read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.asksToClose()).isTrue();
      assertThat(slowloris.awaitEnd(Duration.ofSeconds(10))).isEqualTo(Ending.EOF);
    }
  }

  @Test
  void aKeepAliveConnectionIdleBetweenRequestsIsClosedAfterTheIdleTimeoutNotTheHeaderOne() throws Exception {
    int port = start();
    try (RawConnection c = RawConnection.open(port)) {
      assertThat(c.exchange("/ok").status()).isEqualTo(200);
      long answered = System.nanoTime();
      assertThat(c.awaitEnd(Duration.ofSeconds(10))).isEqualTo(Ending.EOF);
      // The server counts from when it wrote the answer, a moment before the client read it.
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(IDLE.minusMillis(200));
    }
  }

  @Test
  void theNextHeadIsTimedFromItsFirstByte() throws Exception {
    int port = start();
    try (RawConnection c = RawConnection.open(port)) {
      assertThat(c.exchange("/ok").status()).isEqualTo(200);
      c.write("GET /ok HT");
      long begun = System.nanoTime();
      RawResponse r = c.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - begun)).isGreaterThanOrEqualTo(HEADER.minusMillis(50)).isLessThan(IDLE);
    }
  }

  @Test
  void aRequestInProgressIsNeverTimedOut() throws Exception {
    int port = start();
    try (RawConnection c = RawConnection.open(port)) {
      c.write("PUT /hold HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx");
      Held held = emulator.held().next();
      // Longer than both timeouts put together: the connection stays, its request is running.
      assertThat(c.awaitEnd(HEADER.plus(IDLE).plusMillis(500))).isEqualTo(Ending.STILL_OPEN);
      held.release("late but whole");
      RawResponse r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("late but whole");
      assertThat(c.exchange("/ok").status()).as("still kept alive").isEqualTo(200);
    }
  }

  @Test
  void zeroTurnsBothOff() throws Exception {
    emulator = TestEmulator.start("server.header_read_timeout=0s", "server.idle_timeout=0s");
    try (RawConnection silent = RawConnection.open(emulator.port())) {
      assertThat(silent.awaitEnd(Duration.ofSeconds(2))).isEqualTo(Ending.STILL_OPEN);
      assertThat(silent.exchange("/ok").status()).isEqualTo(200);
    }
  }

  @Test
  void theHeaderReadTimeoutCountsFromTheAcceptHoweverTheHttp2PrefaceTrickles() throws Exception {
    int port = start();
    // Before the connect: the server's clock starts at its accept, which open() may return after.
    long opened = System.nanoTime();
    try (RawConnection c = RawConnection.open(port)) {
      c.write("PRI * HTTP/2.0\r\n"); // the first bytes of a preface: the protocol is not known yet
      assertThat(c.awaitEnd(HEADER.dividedBy(2))).isEqualTo(Ending.STILL_OPEN);
      c.write("\r\nSM"); // more of it, yet no more time
      assertThat(c.awaitEnd(Duration.ofSeconds(10))).isEqualTo(Ending.EOF);
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(HEADER).isLessThan(HEADER.multipliedBy(3).dividedBy(2));
    }
  }

  @Test
  void anHttp2ConnectionThatSendsNoRequestGetsGoawayAfterTheHeaderReadTimeout() throws Exception {
    int port = start();
    // Before the connect: the server's clock starts at its accept, which open() may return after.
    long opened = System.nanoTime();
    try (RawHttp2 c = RawHttp2.open(port)) {
      RawHttp2.Received r = c.writePrefaceAndSettings().readUntilEnd(Duration.ofSeconds(10));
      Duration took = Duration.ofNanos(System.nanoTime() - opened);
      assertThat(r.ending()).isEqualTo(Ending.EOF);
      assertThat(took).isGreaterThanOrEqualTo(HEADER).isLessThan(IDLE);
      assertThat(r.goAways()).as("frames: %s", r.frames()).hasSize(1);
      assertThat(r.goAways().get(0).errorCode()).as("NO_ERROR").isZero();
      assertThat(r.goAways().get(0).lastStreamId()).as("no stream was processed").isZero();
    }
  }

  @ParameterizedTest(name = "upgraded from HTTP/1.1: {0}")
  @ValueSource(booleans = {false, true})
  void anIdleHttp2ConnectionGetsGoawayNoErrorAfterTheIdleTimeout(boolean upgrade) throws Exception {
    int port = start(CLIENT_HEADER);
    HttpClientConnection c = TestEmulator.await(h2c(upgrade).connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port)));
    Promise<GoAway> goAway = Promise.promise();
    Promise<Void> closed = Promise.promise();
    c.goAwayHandler(goAway::tryComplete);
    c.closeHandler(closed::tryComplete);
    long sent = System.nanoTime();
    assertThat(TestEmulator.await(get(c, "/ok"))).isEqualTo(200);

    GoAway g = TestEmulator.await(goAway.future(), Duration.ofSeconds(10));
    // The server counts from the end of the stream, which came after the client sent it.
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(IDLE);
    assertThat(g.getErrorCode()).as("NO_ERROR").isZero();
    assertThat(g.getLastStreamId()).as("the one stream the client sent was processed").isEqualTo(1);
    TestEmulator.await(closed.future(), Duration.ofSeconds(10));
  }

  @Test
  void anHttp2StreamInProgressIsNeverTimedOut() throws Exception {
    int port = start(CLIENT_HEADER);
    HttpClientConnection c = TestEmulator.await(h2c(false).connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port)));
    Promise<Void> closed = Promise.promise();
    c.closeHandler(closed::tryComplete);
    Future<Integer> answer = get(c, "/hold");
    Held held = emulator.held().next();
    // Longer than the idle timeout: the connection stays, its stream is running.
    await().during(IDLE.plusMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> !closed.future().isComplete());
    held.release("late but whole");
    assertThat(TestEmulator.await(answer)).isEqualTo(200);
    assertThat(TestEmulator.await(get(c, "/ok"))).as("still open").isEqualTo(200);
  }

  /** HTTP/2 in cleartext: with prior knowledge, or by an HTTP/1.1 {@code Upgrade: h2c} on the first request. */
  private HttpClientAgent h2c(boolean upgrade) {
    h2c = clientVertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(upgrade));
    return h2c;
  }

  /**
   * The status of a GET (not its body: Vert.x's client may let a body that arrives with the head go
   * by before {@code body()} is asked for, under load).
   */
  private static Future<Integer> get(HttpClientConnection c, String path) {
    return c.request(HttpMethod.GET, path).compose(HttpClientRequest::send).map(HttpClientResponse::statusCode);
  }
}
