package io.quiesce.http.routing;

import static io.quiesce.http.testkit.TestEmulator.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownReport;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.RuntimeInstance;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request whose raw path has a dot segment, in any encoding, is answered 400 {@code invalid_path}
 * before it is routed: it reaches no emulator route (so nothing is stored), is not counted, and is
 * judged the same while starting, running and draining. Before, {@code PUT /objs/../health/x}
 * looked like a health probe to the tracker (normalized {@code /health/x}, exempt) and like
 * {@code /objs/../health/x} to the emulator, which stored it during drain.
 */
@Timeout(60)
class DotSegmentRefusalTest {

  /** Each encoding of a dot segment; the first three normalize to /health/x, a path below the old exempt /health. */
  private static final List<String> DOT_PATHS =
      List.of("/objs/../health/x", "/objs/%2e%2e/health/x", "/objs/%2E./health/x", "/./x", "/health/../hold");

  private final Queue<String> stored = new ConcurrentLinkedQueue<>();
  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  /** An emulator that "stores" every request reaching it, by its raw path, as an object store would. */
  private void store(Router router) {
    router.route().handler(ctx -> {
      stored.add(ctx.request().method() + " " + ctx.request().path());
      ctx.response().end("stored");
    });
  }

  private static String put(String path) {
    return "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\ndata";
  }

  private static void assertInvalidPath(RawResponse response, String path) {
    assertThat(response.status()).as("status of PUT %s", path).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(response.json().getString("error")).isEqualTo("invalid_path");
    assertThat(response.json().getString("message")).isNotBlank();
  }

  @Test
  void whileRunningADotSegmentPutIsRefusedWith400AndTheConnectionStaysUsable() throws Exception {
    emulator = TestEmulator.start(rt -> store(rt.router()));
    long countedBefore = emulator.runtime().health().requests().totalRequests();
    try (RawConnection client = RawConnection.open(emulator.port())) {
      for (String path : DOT_PATHS) {
        RawResponse refused = client.write(put(path)).read();
        assertInvalidPath(refused, path);
        assertThat(refused.asksToClose()).as("Connection is left to the server: keep-alive").isFalse();
      }
      assertThat(client.write(put("/objs/normal")).read().status()).as("same connection, ordinary path").isEqualTo(200);
    }
    assertThat(stored).containsExactly("PUT /objs/normal");
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> emulator.runtime().health().requests().totalRequests() == countedBefore + 1);
    assertThat(emulator.runtime().health().requests().totalRequests())
        .as("only the ordinary PUT is counted").isEqualTo(countedBefore + 1);
  }

  @Test
  void duringDrainEveryEncodingIsRefusedWith400AndNothingIsStored() throws Exception {
    emulator = TestEmulator.start(rt -> store(rt.router()), "server.drain_delay=0s", "server.idle_grace=10s");
    int port = emulator.port();
    List<RawConnection> clients = new ArrayList<>();
    try (RawConnection waiting = RawConnection.open(port)) {
      // Opened and used before the drain: the listener is closed once refusing begins.
      for (int i = 0; i < DOT_PATHS.size() + 1; i++) {
        RawConnection c = RawConnection.open(port);
        clients.add(c);
        assertThat(c.exchange("/ok").status()).isEqualTo(200);
      }
      waiting.sendGet("/hold");
      Held held = emulator.held().next();
      Future<ShutdownReport> report = emulator.shutdown();
      awaitRefusing();

      for (int i = 0; i < DOT_PATHS.size(); i++) {
        assertInvalidPath(clients.get(i).write(put(DOT_PATHS.get(i))).read(), DOT_PATHS.get(i));
      }
      RawResponse normal = clients.get(DOT_PATHS.size()).write(put("/objs/normal")).read();
      assertThat(normal.status()).as("an ordinary PUT is refused as draining").isEqualTo(503);
      assertThat(normal.json().getString("error")).isEqualTo("draining");

      held.release("done");
      assertThat(waiting.read().status()).isEqualTo(200);
      assertThat(await(report).clean()).isTrue();
    } finally {
      for (RawConnection c : clients) {
        c.close();
      }
    }
    assertThat(stored).as("no request reached the emulator during drain").isEmpty();
  }

  @Test
  void whileStartingEveryEncodingIsRefusedWith400AndNothingIsStored() throws Exception {
    Promise<Void> storeStarted = Promise.promise();
    CompletableFuture<RuntimeInstance> starting = new CompletableFuture<>();
    QuiesceApplication app = TestEmulator.application(rt -> {
      store(rt.router());
      rt.manage(ManagedService.of("store", () -> {
        starting.complete((RuntimeInstance) rt);
        return storeStarted.future();
      }, Future::succeededFuture));
    });
    Future<QuiesceRuntime> started = app.start(TestEmulator.request());
    RuntimeInstance rt = starting.get(30, TimeUnit.SECONDS);
    try {
      assertThat(rt.lifecycle().state()).isEqualTo(LifecycleState.STARTING);
      try (RawConnection client = RawConnection.open(rt.port())) {
        for (String path : DOT_PATHS) {
          assertInvalidPath(client.write(put(path)).read(), path);
        }
        RawResponse normal = client.write(put("/objs/normal")).read();
        assertThat(normal.status()).as("an ordinary PUT is refused as starting").isEqualTo(503);
        assertThat(normal.json().getString("error")).isEqualTo("starting");
      }
      assertThat(stored).as("no request reached the emulator while starting").isEmpty();
      assertThat(rt.health().requests().totalRequests()).as("nothing was admitted").isZero();
    } finally {
      storeStarted.tryComplete();
      await(started);
      await(rt.close());
    }
  }

  private void awaitRefusing() {
    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
  }
}
