package io.quiesce.http.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ManagedService;
import io.quiesce.health.ComponentStatus;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The health model as {@code /_quiesce/health} and {@code /_quiesce/health/history} show it, over real HTTP. */
@Timeout(60)
class HealthModelRoutesTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static TestEmulator withQueue(String... settings) throws Exception {
    return TestEmulator.start(rt -> {
      rt.manage(ManagedService.of("queue", Future::succeededFuture, Future::succeededFuture));
      rt.dependency("db", true);
      rt.router().get("/boom").handler(ctx -> ctx.response().setStatusCode(500).end("boom"));
      rt.router().get("/missing").handler(ctx -> ctx.response().setStatusCode(404).end());
    }, settings);
  }

  private void awaitChecked(String component) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> emulator.runtime().health().component(component).status() == ComponentStatus.OK);
  }

  @Test
  void healthShowsOverallStateComponentsAndRequestCounters() throws Exception {
    emulator = withQueue();
    awaitChecked("queue");
    for (int i = 0; i < 3; i++) {
      assertThat(RawConnection.get(emulator.port(), "/ok").status()).isEqualTo(200);
    }
    assertThat(RawConnection.get(emulator.port(), "/missing").status()).isEqualTo(404);

    RawResponse health = RawConnection.get(emulator.port(), "/_quiesce/health");

    assertThat(health.status()).isEqualTo(200);
    JsonObject body = health.json();
    assertThat(body.getString("health")).isEqualTo("healthy");
    assertThat(body.getJsonArray("reasons")).isEmpty();
    JsonObject queue = body.getJsonObject("components").getJsonObject("queue");
    assertThat(queue.getString("kind")).isEqualTo("service");
    assertThat(queue.getBoolean("critical")).isTrue();
    assertThat(queue.getString("status")).isEqualTo("ok");
    assertThat(Instant.parse(queue.getString("since"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(queue.getInteger("restarts")).isZero();
    assertThat(body.getJsonObject("components").getJsonObject("db").getString("status")).as("never called").isEqualTo("unknown");
    JsonObject requests = body.getJsonObject("requests");
    assertThat(requests.getLong("total")).as("health probes are not counted").isEqualTo(4);
    assertThat(requests.getLong("errors")).as("a 404 is the client's error").isZero();
    assertThat(requests.getLong("window_seconds")).isEqualTo(300);
    assertThat(requests.getDouble("error_rate")).isZero();
    assertThat(requests.getDouble("latency_avg_ms")).isPositive();
    assertThat(requests.getDouble("latency_p99_ms")).isPositive();
  }

  @Test
  void serverErrorsOverTheThresholdMakeHealthDegradedWhileStill200() throws Exception {
    emulator = withQueue("health.error_min_requests=5", "health.error_threshold=40");
    for (int i = 0; i < 5; i++) {
      RawConnection.get(emulator.port(), "/ok");
      RawConnection.get(emulator.port(), "/boom");
    }

    RawResponse health = RawConnection.get(emulator.port(), "/_quiesce/health");

    assertThat(health.status()).as("degraded still serves").isEqualTo(200);
    assertThat(health.json().getString("health")).isEqualTo("degraded");
    assertThat(health.json().getJsonArray("reasons").getString(0)).isEqualTo("error rate 50.0% (5 of 10 requests) over 40%");
    assertThat(health.json().getJsonObject("requests").getDouble("error_rate")).isEqualTo(0.5);
    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health/ready").status()).isEqualTo(200);
  }

  @Test
  void aCriticalDependencyThatFailedMakesHealthFailingAndProbes503() throws Exception {
    emulator = withQueue();

    emulator.runtime().health().component("db").failed("connection refused");

    RawResponse health = RawConnection.get(emulator.port(), "/_quiesce/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getString("status")).isEqualTo("running");
    assertThat(health.json().getString("health")).isEqualTo("failing");
    JsonObject db = health.json().getJsonObject("components").getJsonObject("db");
    assertThat(db.getString("status")).isEqualTo("failed");
    assertThat(db.getString("last_error")).isEqualTo("connection refused");
    assertThat(db.getString("last_error_at")).isNotNull();
    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health/ready").status()).isEqualTo(503);

    emulator.runtime().health().component("db").ok();

    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health/ready").status()).isEqualTo(200);
    assertThat(RawConnection.get(emulator.port(), "/_quiesce/health").json().getJsonObject("components").getJsonObject("db")
        .getString("last_error")).as("kept after recovery").isEqualTo("connection refused");
  }

  @Test
  void historyListsTheLastChecksOfEachComponent() throws Exception {
    emulator = withQueue("health.history_size=3", "supervision.check_interval=50ms");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> emulator.runtime().health().component("queue").view().history().size() == 3);

    RawResponse history = RawConnection.get(emulator.port(), "/_quiesce/health/history");

    assertThat(history.status()).isEqualTo(200);
    JsonArray queue = history.json().getJsonObject("components").getJsonArray("queue");
    assertThat(queue).hasSize(3);
    JsonObject first = queue.getJsonObject(0);
    assertThat(first.getString("status")).isEqualTo("ok");
    assertThat(Instant.parse(first.getString("at"))).isBeforeOrEqualTo(Instant.parse(queue.getJsonObject(2).getString("at")));
    assertThat(history.json().getJsonObject("components").getJsonArray("db")).isEmpty();
  }
}
