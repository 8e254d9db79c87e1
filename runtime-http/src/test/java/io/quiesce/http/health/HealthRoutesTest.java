package io.quiesce.http.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What probes see: {@code /_quiesce/health} describes the runtime, {@code /_quiesce/health/ready}
 * turns 503 the moment drain begins (and while an emulator procedure is down),
 * {@code /_quiesce/health/live} stays 200, and none of them is ever refused.
 */
@Timeout(60)
class HealthRoutesTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void healthWhileRunningDescribesTheRuntimeAndAnswers200() throws Exception {
    emulator = TestEmulator.start(rt -> rt.manage(
        ManagedService.of("queue", Future::succeededFuture, Future::succeededFuture)));
    Instant before = Instant.now();

    RawResponse health = RawConnection.get(emulator.port(), "/_quiesce/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("Content-Type")).startsWith("application/json");
    JsonObject body = health.json();
    assertThat(body.getString("status")).isEqualTo("running");
    assertThat(body.getString("version")).isNotBlank();
    assertThat(body.getValue("uptime")).isInstanceOf(Number.class);
    assertThat(body.getLong("uptime")).isNotNegative();
    assertThat(body.getLong("in_flight_requests")).isZero();
    assertThat(body.getJsonObject("services"))
        .isEqualTo(new JsonObject().put("queue", "running"));
    assertThat(body.getValue("checks")).isInstanceOf(JsonArray.class);
    Instant timestamp = Instant.parse(body.getString("timestamp"));
    assertThat(body.getString("timestamp")).as("UTC").endsWith("Z");
    assertThat(timestamp).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
  }

  @Test
  void healthReportsTheVersionGivenToTheApplicationBuilder() throws Exception {
    emulator = TestEmulator.start(); // built with .version("9.9.9"), started with app.start(...)

    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health").json().getString("version")).isEqualTo(TestEmulator.VERSION);
  }

  @Test
  void healthReportsAVersionSetInConfiguration() throws Exception {
    emulator = TestEmulator.start("service.version=1.2.3");

    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health").json().getString("version")).isEqualTo("1.2.3");
  }

  @Test
  void liveAndReadyAnswer200WhileRunning() throws Exception {
    emulator = TestEmulator.start();

    RawResponse live = RawConnection.get(emulator.port(), "/_quiesce/health/live");
    RawResponse ready = RawConnection.get(emulator.port(), "/_quiesce/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getString("status")).isEqualTo("ready");
  }

  @Test
  void duringTheDrainDelayHealthAndReadyAre503ButLiveIs200() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=3s");
    int port = emulator.port();

    emulator.shutdown();
    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    RawResponse health = RawConnection.get(port, "/_quiesce/health");
    RawResponse ready = RawConnection.get(port, "/_quiesce/health/ready");
    RawResponse live = RawConnection.get(port, "/_quiesce/health/live");
    assertThat(emulator.runtime().lifecycle().state()).as("still within the drain delay").isEqualTo(LifecycleState.DRAINING);

    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getString("status")).isEqualTo("draining");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getString("state")).isEqualTo("draining");
    assertThat(live.status()).isEqualTo(200);
  }

  @Test
  void healthRoutesAreNeverRefusedEvenOnceNewWorkIs() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s", "server.idle_grace=5s");
    int port = emulator.port();
    // Refusing closes the listener, so the probes go out on connections opened before it. The held
    // one opens last: connections are accepted in order, so once its request is held the others
    // have been accepted too (one still in the listen backlog would be reset by the close).
    try (RawConnection forHealth = RawConnection.open(port);
        RawConnection forReady = RawConnection.open(port);
        RawConnection forLive = RawConnection.open(port);
        RawConnection forWork = RawConnection.open(port);
        RawConnection waiting = RawConnection.open(port)) {
      waiting.sendGet("/hold");
      emulator.held().next();

      emulator.shutdown();
      await().atMost(Duration.ofSeconds(5)).until(() -> emulator.runtime().tracker().phase() == WorkTracker.Phase.REFUSING);
      assertThat(forWork.exchange("/ok").json().getString("error")).as("ordinary work is refused").isEqualTo("draining");

      RawResponse health = forHealth.exchange("/_quiesce/health");
      RawResponse ready = forReady.exchange("/_quiesce/health/ready");
      RawResponse live = forLive.exchange("/_quiesce/health/live");

      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().getString("status")).as("health answers, it is not refused").isEqualTo("draining");
      assertThat(health.json().getLong("in_flight_requests")).isEqualTo(1);
      assertThat(health.json().containsKey("error")).isFalse();
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().getString("status")).isEqualTo("not_ready");
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.json().getString("state")).isEqualTo("draining");
    }
  }

  @Test
  void anEmulatorProcedureThatIsDownMakesHealthAndReady503WhileRunning() throws Exception {
    emulator = TestEmulator.start(rt -> rt.healthCheck("db", p -> p.complete(Status.KO())));
    int port = emulator.port();

    RawResponse health = RawConnection.get(port, "/_quiesce/health");
    RawResponse ready = RawConnection.get(port, "/_quiesce/health/ready");
    RawResponse live = RawConnection.get(port, "/_quiesce/health/live");

    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getString("status")).isEqualTo("running");
    assertThat(health.json().getJsonArray("checks").stream().map(JsonObject.class::cast))
        .anySatisfy(check -> {
          assertThat(check.getString("id")).isEqualTo("db");
          assertThat(check.getString("status")).isEqualTo("DOWN");
        });
    assertThat(ready.status()).isEqualTo(503);
    assertThat(live.status()).as("the process can still answer").isEqualTo(200);
    assertThat(RawConnection.get(port, "/ok").status()).as("work is still served").isEqualTo(200);
  }
}
