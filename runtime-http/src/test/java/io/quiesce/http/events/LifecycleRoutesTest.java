package io.quiesce.http.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.drain.WorkTracker;
import io.quiesce.events.EventMessage;
import io.quiesce.http.testkit.HeldRequests;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Events of a real in-process runtime, as emulator code and HTTP clients see them. */
@Timeout(60)
class LifecycleRoutesTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static List<String> subjects(RawResponse response) {
    JsonArray events = response.json().getJsonArray("events");
    return events.stream().map(o -> ((JsonObject) o).getString("subject")).toList();
  }

  @Test
  void startupAndAnnouncementAreInTheReplayBufferAndTheServiceListsItself() throws Exception {
    emulator = TestEmulator.start();

    RawResponse events = RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events");
    assertThat(events.status()).isEqualTo(200);
    assertThat(subjects(events)).as("health changes are events of their own (HealthEventsTest)")
        .filteredOn(subject -> !subject.endsWith(".health"))
        .containsExactly("quiesce.lifecycle.test-emulator.startup", "quiesce.service.discovery");
    JsonObject startup = events.json().getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("subject").endsWith(".startup")).findFirst().orElseThrow().getJsonObject("payload");
    assertThat(startup.getString("version")).isEqualTo(TestEmulator.VERSION);
    assertThat(startup.getString("http_endpoint")).isEqualTo("http://127.0.0.1:" + emulator.port());

    JsonArray services = RawConnection.get(emulator.port(), "/_quiesce/lifecycle/services").json().getJsonArray("services");
    assertThat(services).hasSize(1);
    assertThat(services.getJsonObject(0).getString("service")).isEqualTo(TestEmulator.NAME);
    assertThat(services.getJsonObject(0).getString("status")).isEqualTo("up");
    assertThat(services.getJsonObject(0).getString("health_url")).isEqualTo("http://127.0.0.1:" + emulator.port() + "/_quiesce/health");
  }

  @Test
  void emulatorCodePublishesConnectionEventsAndSubscribesWithWildcards() throws Exception {
    List<EventMessage> seen = new CopyOnWriteArrayList<>();
    emulator = TestEmulator.start(rt -> rt.events().subscribe("quiesce.lifecycle.*.connected", seen::add), "events.prefix=quiesce");

    emulator.runtime().events().connected("postgres", new JsonObject().put("host", "db"));
    emulator.runtime().events().disconnected("postgres", new JsonObject());

    await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
    assertThat(seen).singleElement().satisfies(m -> assertThat(m.body().getString("target")).isEqualTo("postgres"));
    assertThat(subjects(RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events?subject=quiesce.lifecycle.*.disconnected")))
        .containsExactly("quiesce.lifecycle.test-emulator.disconnected");
  }

  @Test
  void aBadFilterOrLimitIsA400SayingWhy() throws Exception {
    emulator = TestEmulator.start();

    RawResponse badFilter = RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events?subject=a.%3E.b");
    RawResponse badLimit = RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events?limit=lots");

    assertThat(badFilter.status()).isEqualTo(400);
    assertThat(badFilter.json().getString("message")).contains("> is only allowed as the last token");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().getString("message")).contains("limit");
  }

  private RawResponse postNotice(String body) throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      return c.write("POST /_quiesce/lifecycle/group-restart HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body).read();
    }
  }

  private static final String NOTICE =
      "{\"initiator\":\"ops\",\"reason\":\"rollout\",\"delay_seconds\":3600,\"timestamp\":\"2026-01-01T00:00:00Z\",\"target\":\"other\"}";

  @Test
  void aGroupRestartOverHttpIsRefusedUnlessTheInstanceAllowsIt() throws Exception {
    emulator = TestEmulator.start();

    RawResponse refused = postNotice(NOTICE);

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("message")).contains("events.http_restart=true");
    assertThat(subjects(RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events?subject=quiesce.lifecycle.group.restart")))
        .isEmpty();
  }

  @Test
  void anAllowedGroupRestartOverHttpIsPublishedAndABadOneIsA400NamingEachProblem() throws Exception {
    emulator = TestEmulator.start("events.http_restart=true");

    RawResponse bad = postNotice("{\"reason\":\"x\",\"delay_seconds\":-1}");
    RawResponse sent = postNotice(NOTICE);

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getJsonArray("problems").encode()).contains("initiator").contains("delay_seconds").contains("timestamp");
    assertThat(sent.status()).isEqualTo(202);
    assertThat(sent.json().getString("subject")).isEqualTo("quiesce.lifecycle.group.restart");
    JsonArray published = RawConnection.get(emulator.port(), "/_quiesce/lifecycle/events?subject=quiesce.lifecycle.group.restart")
        .json().getJsonArray("events");
    assertThat(published).hasSize(1);
    assertThat(published.getJsonObject(0).getJsonObject("payload").getString("reason")).isEqualTo("rollout");
    assertThat(emulator.runtime().state()).as("the notice targets another service").isEqualTo(io.quiesce.api.LifecycleState.RUNNING);
  }

  @Test
  void heartbeatsCountRequestsButNotProbesOrViews() throws Exception {
    emulator = TestEmulator.start("events.heartbeat_interval=100ms");
    for (int i = 0; i < 3; i++) {
      assertThat(RawConnection.get(emulator.port(), "/ok").status()).isEqualTo(200);
    }
    RawConnection.get(emulator.port(), "/_quiesce/lifecycle/services");
    RawConnection.get(emulator.port(), "/_quiesce/health");

    await().atMost(Duration.ofSeconds(20)).until(() -> lastHeartbeat() != null && lastHeartbeat().getLong("requests") == 3);
    assertThat(lastHeartbeat().getString("health")).isEqualTo("healthy");
    assertThat(lastHeartbeat().getString("state")).isEqualTo("running");
    assertThat(lastHeartbeat().getLong("errors")).isZero();
  }

  @Test
  void theViewsAreNotRefusedWhileDraining() throws Exception {
    emulator = TestEmulator.start("events.heartbeat_interval=100ms", "server.drain_delay=0s", "server.idle_grace=5s");
    try (RawConnection holder = RawConnection.open(emulator.port());
        RawConnection viewer = RawConnection.open(emulator.port())) {
      assertThat(viewer.exchange("/ok").status()).isEqualTo(200);
      holder.sendGet("/hold");
      HeldRequests.Held request = emulator.held().next();
      emulator.shutdown();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> emulator.runtime().lifecycle().tracker().phase() == WorkTracker.Phase.REFUSING);

      RawResponse events = viewer.exchange("/_quiesce/lifecycle/events?subject=quiesce.lifecycle.>");

      assertThat(events.status()).as("a view is answered, not refused").isEqualTo(200);
      await().atMost(Duration.ofSeconds(20)).until(() -> "draining".equals(lastHeartbeat().getString("state"))
          && lastHeartbeat().getLong("in_flight") == 1);
      request.release("done");
      assertThat(holder.read().status()).isEqualTo(200);
    }
  }

  private JsonObject lastHeartbeat() {
    List<EventMessage> beats = emulator.runtime().events()
        .recent(io.quiesce.events.SubjectFilter.of("quiesce.lifecycle.*.heartbeat"), 1);
    return beats.isEmpty() ? null : beats.get(0).body();
  }
}
