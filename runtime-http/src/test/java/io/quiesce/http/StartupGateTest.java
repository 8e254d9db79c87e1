package io.quiesce.http;

import static io.quiesce.http.testkit.TestEmulator.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP server starts before the emulator's services so that probes get an answer while they
 * start: not ready, and ordinary work refused with "starting", until the last one is up. A
 * service that fails to start fails the whole start with its own error and frees the port.
 */
@Timeout(60)
class StartupGateTest {

  @Test
  void whileAServiceIsStartingReadyIs503AndWorkIsRefusedAsStartingThenBoth200() throws Exception {
    Promise<Void> storeStarted = Promise.promise();
    CompletableFuture<QuiesceRuntime> starting = new CompletableFuture<>();
    QuiesceApplication app = TestEmulator.application(rt -> {
      rt.router().get("/ok").handler(ctx -> ctx.response().end("ok"));
      rt.manage(ManagedService.of("store", () -> {
        starting.complete(rt);
        return storeStarted.future();
      }, Future::succeededFuture));
    });

    Future<QuiesceRuntime> started = app.start(TestEmulator.request("server.retry_after=1s"));
    QuiesceRuntime rt = starting.get(30, TimeUnit.SECONDS);
    try {
      int port = rt.port();
      assertThat(rt.state()).isEqualTo(LifecycleState.STARTING);

      RawResponse ready = RawConnection.get(port, "/_quiesce/health/ready");
      RawResponse work = RawConnection.get(port, "/ok");
      RawResponse health = RawConnection.get(port, "/_quiesce/health");
      RawResponse live = RawConnection.get(port, "/_quiesce/health/live");

      assertThat(ready.status()).isEqualTo(503);
      assertThat(work.status()).isEqualTo(503);
      assertThat(work.json().getString("error")).isEqualTo("starting");
      assertThat(work.header("Retry-After")).isEqualTo("1");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("status")).isEqualTo("starting");
      assertThat(health.json().getJsonObject("services").getString("store")).isEqualTo("starting");
      assertThat(live.status()).isEqualTo(200);
      assertThat(started.isComplete()).as("start waits for the store").isFalse();

      storeStarted.complete();

      assertThat(await(started)).isSameAs(rt);
      assertThat(RawConnection.get(port, "/_quiesce/health/ready").status()).isEqualTo(200);
      RawResponse served = RawConnection.get(port, "/ok");
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.body()).isEqualTo("ok");
    } finally {
      storeStarted.tryComplete();
      await(rt.close());
    }
  }

  @Test
  void aServiceThatFailsToStartFailsStartWithItsOwnErrorAndReleasesThePort() throws Exception {
    IllegalStateException diskFull = new IllegalStateException("disk full");
    CompletableFuture<Integer> port = new CompletableFuture<>();
    QuiesceApplication app = TestEmulator.application(rt -> rt.manage(ManagedService.of("store", () -> {
      port.complete(rt.port());
      return Future.failedFuture(diskFull);
    }, Future::succeededFuture)));

    assertThatThrownBy(() -> await(app.start(TestEmulator.request()))).isSameAs(diskFull);

    int bound = port.get(1, TimeUnit.SECONDS);
    assertThat(bound).as("the HTTP server had been listening").isPositive();
    assertThat(RawConnection.connectRefused(bound)).as("nothing listens on %d any more", bound).isTrue();
    try (ServerSocket again = new ServerSocket(bound, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(bound);
    }
  }

  @Test
  void setupThatThrowsFailsStartWithItsOwnError() {
    IllegalArgumentException badRoute = new IllegalArgumentException("bad route");
    QuiesceApplication app = TestEmulator.application(rt -> {
      throw badRoute;
    });

    assertThatThrownBy(() -> await(app.start(TestEmulator.request()))).isSameAs(badRoute);
  }
}
