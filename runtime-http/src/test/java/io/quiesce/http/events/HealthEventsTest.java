package io.quiesce.http.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.events.EventMessage;
import io.quiesce.events.SubjectFilter;
import io.quiesce.health.Component;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Changes of health travel as {@code <prefix>.lifecycle.<service>.health} events, once per change. */
@Timeout(60)
class HealthEventsTest {

  private static final SubjectFilter HEALTH = SubjectFilter.of("quiesce.lifecycle.*.health");
  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private List<JsonObject> healthEvents() {
    return emulator.runtime().events().recent(HEALTH, 100).stream().map(EventMessage::body).toList();
  }

  private List<JsonObject> overall() {
    return healthEvents().stream().filter(e -> e.getString("component") == null).toList();
  }

  @Test
  void aDependencyThatFailsAndRecoversPublishesEachTransitionOnce() throws Exception {
    AtomicReference<Component> upstream = new AtomicReference<>();
    emulator = TestEmulator.start(rt -> upstream.set(rt.dependency("upstream", false)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !overall().isEmpty()
        && "healthy".equals(overall().get(overall().size() - 1).getString("to")));
    int before = healthEvents().size();

    upstream.get().failed("connect timed out");
    upstream.get().failed("connect timed out again");
    upstream.get().ok();

    await().atMost(Duration.ofSeconds(10)).until(() -> healthEvents().size() >= before + 4);
    List<JsonObject> events = healthEvents().subList(before, healthEvents().size());
    assertThat(events).as("one event per change, not per report").hasSize(4);
    assertThat(events).extracting(e -> e.getString("component"), e -> e.getString("from"), e -> e.getString("to"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("upstream", "unknown", "failed"),
            org.assertj.core.groups.Tuple.tuple(null, "healthy", "degraded"),
            org.assertj.core.groups.Tuple.tuple("upstream", "failed", "ok"),
            org.assertj.core.groups.Tuple.tuple(null, "degraded", "healthy"));
    assertThat(events.get(0).getJsonArray("reasons").getList()).containsExactly("connect timed out");
    assertThat(events.get(1).getJsonArray("reasons").getList()).anyMatch(r -> r.toString().contains("upstream"));
    assertThat(events.get(1).getString("event")).isEqualTo("health");
    assertThat(events.get(1).getString("service")).isEqualTo(TestEmulator.NAME);
    assertThat(events.get(1).getString("state")).isEqualTo("running");
    assertThat(events.get(3).getJsonArray("reasons")).isEmpty();
  }

  @Test
  void startupAndShutdownShowAsFailingToHealthyAndBack() throws Exception {
    emulator = TestEmulator.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> overall().stream().anyMatch(e -> "healthy".equals(e.getString("to"))));
    JsonObject first = overall().get(0);
    assertThat(first.getValue("from")).as("the first evaluation has no before").isNull();

    TestEmulator.await(emulator.shutdown());

    assertThat(overall().get(overall().size() - 1).getString("from")).isEqualTo("healthy");
    assertThat(overall().get(overall().size() - 1).getString("to")).isEqualTo("failing");
  }
}
