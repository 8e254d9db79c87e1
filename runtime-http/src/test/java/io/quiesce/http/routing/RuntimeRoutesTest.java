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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's routes live below {@code /_quiesce}; {@code /health}, {@code /health/live} and
 * {@code /health/ready} also answer at the root, on those exact paths only, unless
 * {@code server.health_aliases=false}. Every other path is the emulator's. Runtime routes are
 * never counted and never refused, while starting and while draining included.
 */
@Timeout(60)
class RuntimeRoutesTest {

  /** Every runtime route, with the status it answers while running. */
  private static final List<String> RUNTIME_ROUTES = List.of("/_quiesce/health", "/_quiesce/health/live",
      "/_quiesce/health/ready", "/_quiesce/health/history", "/_quiesce/metrics", "/_quiesce/lifecycle/events",
      "/_quiesce/lifecycle/services", "/health", "/health/live", "/health/ready");

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  /** An emulator that owns every other path and says so. */
  private static void emulatorOwnsTheRest(Router router) {
    router.route().handler(ctx -> ctx.response().putHeader("X-Served-By", "emulator").end("emulator " + ctx.request().path()));
  }

  private static boolean servedByEmulator(RawResponse r) {
    return "emulator".equals(r.header("X-Served-By"));
  }

  @Test
  void everyRuntimeRouteAnswersBelowTheNamespaceAndTheAliasesAtTheRoot() throws Exception {
    emulator = TestEmulator.start(rt -> emulatorOwnsTheRest(rt.router()));
    int port = emulator.port();
    for (String path : RUNTIME_ROUTES) {
      RawResponse r = RawConnection.get(port, path);
      assertThat(r.status()).as("GET %s", path).isEqualTo(200);
      assertThat(servedByEmulator(r)).as("GET %s is the runtime's", path).isFalse();
    }
    assertThat(RawConnection.get(port, "/_quiesce/health").json().getString("status")).isEqualTo("running");
    assertThat(RawConnection.get(port, "/health").json().getString("status")).as("the alias is the same route").isEqualTo("running");
    assertThat(RawConnection.get(port, "/health/ready").json().getString("status")).isEqualTo("ready");
    assertThat(RawConnection.get(port, "/_quiesce/metrics").body()).contains("quiesce_lifecycle_state");
    assertThat(RawConnection.get(port, "/_quiesce/lifecycle/events").json().containsKey("events")).isTrue();
    assertThat(RawConnection.get(port, "/_quiesce/lifecycle/services").json().containsKey("services")).isTrue();

    // Decided on the path the routes match on: unreserved characters percent-encoded are decoded.
    assertThat(RawConnection.get(port, "/%5Fquiesce/health").json().getString("status")).isEqualTo("running");
    assertThat(RawConnection.get(port, "/%68ealth/ready").json().getString("status")).isEqualTo("ready");
    assertThat(servedByEmulator(RawConnection.get(port, "/_quiesce"))).as("the namespace's root is the runtime's").isFalse();

    RawResponse unknown = RawConnection.get(port, "/_quiesce/nothing-here");
    assertThat(unknown.status()).as("the namespace stays the runtime's").isEqualTo(404);
    assertThat(unknown.json().getString("error")).isEqualTo("not_found");
    assertThat(servedByEmulator(unknown)).isFalse();
  }

  @Test
  void pathsThatOnlyResembleARuntimeRouteAreTheEmulators() throws Exception {
    emulator = TestEmulator.start(rt -> emulatorOwnsTheRest(rt.router()));
    int port = emulator.port();
    for (String path : List.of("/health/x", "/health/", "/health/history", "/healthcare-data", "/health-logs",
        "/health-logs/a", "/metrics", "/lifecycle", "/lifecycle/events", "/lifecycle/services", "/_quiesceX")) {
      RawResponse r = RawConnection.get(port, path);
      assertThat(servedByEmulator(r)).as("GET %s reaches the emulator (got %s %s)", path, r.status(), r.body()).isTrue();
      assertThat(r.body()).isEqualTo("emulator " + path);
    }
    RawResponse put = putOn(port, "/health");
    assertThat(servedByEmulator(put)).as("only GET is aliased: PUT /health is the emulator's").isTrue();
  }

  @Test
  void withHealthAliasesOffTheRootIsTheEmulatorsAndTheNamespaceStillAnswers() throws Exception {
    emulator = TestEmulator.start(rt -> emulatorOwnsTheRest(rt.router()), "server.health_aliases=false");
    int port = emulator.port();
    for (String path : List.of("/health", "/health/live", "/health/ready")) {
      RawResponse r = RawConnection.get(port, path);
      assertThat(servedByEmulator(r)).as("GET %s", path).isTrue();
    }
    RawResponse health = RawConnection.get(port, "/_quiesce/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("status")).isEqualTo("running");
  }

  @Test
  void runtimeRoutesAreNeverCounted() throws Exception {
    emulator = TestEmulator.start(rt -> emulatorOwnsTheRest(rt.router()));
    int port = emulator.port();
    long before = emulator.runtime().health().requests().totalRequests();
    try (RawConnection c = RawConnection.open(port)) {
      for (String path : RUNTIME_ROUTES) {
        assertThat(c.exchange(path).status()).isEqualTo(200);
      }
      assertThat(c.exchange("/_quiesce/nothing-here").status()).isEqualTo(404);
      assertThat(c.exchange("/ok").status()).isEqualTo(200);
    }
    // The /ok sent last is counted once its response has ended: then the others would have been too.
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> emulator.runtime().health().requests().totalRequests() >= before + 1);
    assertThat(emulator.runtime().health().requests().totalRequests()).as("only /ok counts").isEqualTo(before + 1);
  }

  @Test
  void duringDrainRuntimeRoutesAnswerWhileEmulatorWorkIsRefused() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=10s");
    int port = emulator.port();
    List<RawConnection> clients = new ArrayList<>();
    try (RawConnection waiting = RawConnection.open(port); RawConnection workClient = RawConnection.open(port)) {
      // One connection per route, opened and used before the drain: the listener closes once
      // refusing begins, and a connection's next exchange during drain is its last.
      for (int i = 0; i < RUNTIME_ROUTES.size(); i++) {
        RawConnection c = RawConnection.open(port);
        clients.add(c);
        assertThat(c.exchange("/_quiesce/health/live").status()).isEqualTo(200);
      }
      assertThat(workClient.exchange("/ok").status()).isEqualTo(200);
      waiting.sendGet("/hold");
      Held held = emulator.held().next();
      Future<ShutdownReport> report = emulator.shutdown();
      awaitRefusing();

      for (int i = 0; i < RUNTIME_ROUTES.size(); i++) {
        String path = RUNTIME_ROUTES.get(i);
        RawResponse r = clients.get(i).exchange(path);
        assertThat(r.status()).as("GET %s during drain", path)
            .isEqualTo(path.endsWith("/ready") || path.endsWith("/health") ? 503 : 200);
        assertThat(r.body()).as("GET %s is answered by its route, not refused", path).doesNotContain("\"error\":\"draining\"");
        if (path.endsWith("/health")) {
          assertThat(r.json().getString("status")).isEqualTo("draining");
          assertThat(r.json().getLong("in_flight_requests")).as("only /hold is in flight").isEqualTo(1);
        }
      }
      RawResponse refused = workClient.exchange("/ok");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.json().getString("error")).isEqualTo("draining");

      held.release("done");
      assertThat(waiting.read().status()).isEqualTo(200);
      assertThat(await(report).clean()).isTrue();
    } finally {
      for (RawConnection c : clients) {
        c.close();
      }
    }
  }

  @Test
  void whileStartingRuntimeRoutesAnswerAndAreNotRefused() throws Exception {
    Promise<Void> storeStarted = Promise.promise();
    CompletableFuture<RuntimeInstance> starting = new CompletableFuture<>();
    QuiesceApplication app = TestEmulator.application(rt -> rt.manage(ManagedService.of("store", () -> {
      starting.complete((RuntimeInstance) rt);
      return storeStarted.future();
    }, Future::succeededFuture)));
    Future<QuiesceRuntime> started = app.start(TestEmulator.request());
    RuntimeInstance rt = starting.get(30, TimeUnit.SECONDS);
    try {
      assertThat(rt.lifecycle().state()).isEqualTo(LifecycleState.STARTING);
      for (String path : RUNTIME_ROUTES) {
        RawResponse r = RawConnection.get(rt.port(), path);
        assertThat(r.status()).as("GET %s while starting", path)
            .isEqualTo(path.endsWith("/ready") || path.endsWith("/health") ? 503 : 200);
        assertThat(r.body()).as("GET %s is answered by its route, not refused", path).doesNotContain("\"error\":\"starting\"");
      }
      assertThat(RawConnection.get(rt.port(), "/health").json().getString("status")).isEqualTo("starting");
      assertThat(rt.health().requests().totalRequests()).isZero();
    } finally {
      storeStarted.tryComplete();
      await(started);
      await(rt.close());
    }
  }

  private static RawResponse putOn(int port, String path) throws Exception {
    try (RawConnection c = RawConnection.open(port)) {
      return c.write("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").read();
    }
  }

  private void awaitRefusing() {
    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
  }
}
