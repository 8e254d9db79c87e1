package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ShutdownReport;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/2 (h2c, on by default): streams are counted in flight, and
 * streams the server accepted run to completion through the two GOAWAY frames of the drain.
 */
@Timeout(60)
class Http2DrainTest {

  private TestEmulator emulator;
  private final Vertx clientVertx = Vertx.vertx();
  // Held for the whole test: Vert.x closes a client, and its connections, once it is unreachable
  // (a Cleaner), which a garbage collection in the middle of a test would otherwise do.
  private HttpClient client;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
    clientVertx.close();
  }

  @Test
  void manyConcurrentHttp2StreamsLeaveTheCountAtZero() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.http2=true");
    client = clientVertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultPort(emulator.port()).setDefaultHost("127.0.0.1"));
    java.util.List<Future<String>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      all.add(client.request(HttpMethod.GET, "/ok").compose(r -> r.send()).compose(r -> r.body().map(b -> b.toString())));
    }
    TestEmulator.await(Future.all(all));
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().inFlight() == 0);
    assertThat(emulator.runtime().tracker().phase().name()).isEqualTo("OPEN");
    assertThat(emulator.runtime().health().requests().totalRequests()).isEqualTo(50);
  }

  @Test
  void concurrentSlowStreamsAllCompleteThroughTheTwoGoaways() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().get("/slow").handler(ctx ->
        rt.vertx().setTimer(Long.parseLong(ctx.request().getParam("ms")), t -> ctx.response().end("done"))),
        "server.drain_delay=0s", "server.http2=true");
    client = clientVertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultPort(emulator.port()).setDefaultHost("127.0.0.1"));
    java.util.List<Future<String>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(client.request(HttpMethod.GET, "/slow?ms=" + (2_000 + 25 * i)).compose(r -> r.send())
          .compose(r -> r.body().map(b -> r.statusCode() + " " + b)));
    }
    // Every stream in flight before the drain begins (one that arrives after it is answered 503).
    await().atMost(Duration.ofSeconds(20)).until(() -> emulator.runtime().tracker().inFlight() == 40);
    Future<ShutdownReport> report = emulator.shutdown();
    for (Future<String> f : all) {
      assertThat(TestEmulator.await(f.recover(e -> Future.succeededFuture(e.toString())))).isEqualTo("200 done");
    }
    assertThat(TestEmulator.await(report).clean()).isTrue();
  }

  @ParameterizedTest(name = "upgraded from HTTP/1.1: {0}")
  @ValueSource(booleans = {false, true})
  void anHttp2StreamInFlightIsCountedAndCompletesDuringDrain(boolean upgrade) throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s");
    // Prior knowledge, or h2c by HTTP/1.1 Upgrade (the upgraded connection leaves the HTTP/1.1
    // guard behind and drains with GOAWAY like any HTTP/2 connection).
    client = clientVertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(upgrade).setDefaultPort(emulator.port()).setDefaultHost("127.0.0.1"));
    // Status, protocol and body read together: the body must be asked for before it arrives.
    Future<String> response = client.request(HttpMethod.GET, "/hold").compose(r -> r.send())
        .compose(r -> r.body().map(b -> r.statusCode() + " " + r.version() + " " + b));
    Held held = emulator.held().next();
    assertThat(emulator.runtime().tracker().inFlight()).as("the HTTP/2 stream is in flight").isEqualTo(1);

    Future<ShutdownReport> report = emulator.shutdown();
    await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase().name().equals("REFUSING"));
    assertThat(emulator.runtime().tracker().inFlight()).as("still in flight once refusing").isEqualTo(1);
    assertThat(report.isComplete()).isFalse();
    held.release("done");

    assertThat(TestEmulator.await(response)).isEqualTo("200 HTTP_2 done");
    assertThat(TestEmulator.await(report).clean()).isTrue();
  }
}
