package io.quiesce.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReason;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.time.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One service's events on a manual clock: what it publishes, when, and how it reacts to others. */
class LifecycleEventsTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final Clock wall = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(10)));
  private final EventHub hub = new EventHub(Runnable::run, new ReplayBuffer(100));
  private final AtomicLong requests = new AtomicLong();
  private final List<EventMessage> seen = new ArrayList<>();
  private final LifecycleEvents events = events("s3", true, List.of("*"));

  LifecycleEventsTest() {
    hub.subscribe(SubjectFilter.of("q.>"), seen::add);
  }

  private LifecycleEvents events(String name, boolean groupRestart, List<String> reannounceOn) {
    ServiceIdentity identity = new ServiceIdentity(name, "1.2.3", "host-a", "id-" + name, clock, wall);
    EventSettings settings = new EventSettings("q", INTERVAL, 3, 100, reannounceOn, groupRestart);
    return new LifecycleEvents(hub, identity, settings, clock, wall, lifecycle,
        () -> new LoadSnapshot(lifecycle.state().name().toLowerCase(), 2, requests.get(), 1),
        () -> "http://127.0.0.1:4566");
  }

  private List<String> subjects() {
    return seen.stream().map(EventMessage::subject).toList();
  }

  private EventMessage last(String subject) {
    return seen.stream().filter(m -> m.subject().equals(subject)).reduce((a, b) -> b).orElseThrow();
  }

  private void start() {
    events.start();
    assertThat(lifecycle.start().succeeded()).isTrue();
  }

  @Test
  void startupCarriesTheCommonFieldsWithoutUptimeAndIsFollowedByAnAnnouncement() {
    start();

    assertThat(subjects()).containsExactly("q.lifecycle.s3.startup", "q.service.discovery");
    JsonObject startup = seen.get(0).body();
    assertThat(startup.getString("service")).isEqualTo("s3");
    assertThat(startup.getString("version")).isEqualTo("1.2.3");
    assertThat(startup.getString("hostname")).isEqualTo("host-a");
    assertThat(startup.getString("instance_id")).isEqualTo("id-s3");
    assertThat(startup.getString("timestamp")).isEqualTo("2026-03-04T05:06:07Z");
    assertThat(startup.containsKey("uptime_seconds")).isTrue();
    assertThat(startup.getValue("uptime_seconds")).isNull();
    JsonObject announce = seen.get(1).body();
    assertThat(announce.getString("http_endpoint")).isEqualTo("http://127.0.0.1:4566");
    assertThat(announce.getString("health_url")).isEqualTo("http://127.0.0.1:4566/_quiesce/health");
  }

  @Test
  void heartbeatsComeEveryIntervalWithUptimeAndCounters() {
    start();
    requests.set(7);

    clock.advance(INTERVAL.minusMillis(1));
    assertThat(subjects()).doesNotContain("q.lifecycle.s3.heartbeat");
    clock.advance(Duration.ofMillis(1));
    clock.advance(INTERVAL);

    assertThat(subjects()).filteredOn(s -> s.endsWith("heartbeat")).hasSize(2);
    JsonObject beat = last("q.lifecycle.s3.heartbeat").body();
    assertThat(beat.getDouble("uptime_seconds")).isEqualTo(20.0);
    assertThat(beat.getString("health")).isEqualTo("running");
    assertThat(beat.getLong("in_flight")).isEqualTo(2);
    assertThat(beat.getLong("requests")).isEqualTo(7);
    assertThat(beat.getLong("errors")).isEqualTo(1);
  }

  @Test
  void shutdownCarriesReasonUptimeAndTheReportAndStopsHeartbeats() {
    start();
    clock.advance(Duration.ofSeconds(12));

    lifecycle.shutdown(ShutdownReason.MANUAL);
    assertThat(events.whenClosed().succeeded()).isTrue();
    clock.advance(INTERVAL.multipliedBy(5));

    JsonObject shutdown = last("q.lifecycle.s3.shutdown").body();
    assertThat(shutdown.getString("reason")).isEqualTo("MANUAL");
    assertThat(shutdown.getDouble("uptime_seconds")).isEqualTo(12.0);
    assertThat(shutdown.getJsonObject("report").getBoolean("forced")).isFalse();
    assertThat(subjects()).filteredOn(s -> s.endsWith("heartbeat")).hasSize(1);
  }

  @Test
  void connectedAndDisconnectedNameTheTarget() {
    start();
    events.connected("postgres", new JsonObject().put("url", "postgres://db:5432"));
    events.disconnected("postgres", null);

    assertThat(last("q.lifecycle.s3.connected").body().getString("target")).isEqualTo("postgres");
    assertThat(last("q.lifecycle.s3.connected").body().getJsonObject("details").getString("url")).isEqualTo("postgres://db:5432");
    assertThat(last("q.lifecycle.s3.disconnected").body().getJsonObject("details")).isEqualTo(new JsonObject());
  }

  @Test
  void aPollAndAnotherServicesStartupBringANewAnnouncementButOwnStartupDoesNot() {
    start();
    seen.clear();

    hub.receive(new EventMessage("q.service.discovery.poll", new JsonObject()));
    hub.receive(new EventMessage("q.lifecycle.sqs.startup",
        new JsonObject().put("event", "startup").put("service", "sqs").put("instance_id", "other")));

    assertThat(subjects()).filteredOn(s -> s.equals("q.service.discovery")).hasSize(2);
    hub.receive(new EventMessage("q.lifecycle.s3.startup",
        new JsonObject().put("event", "startup").put("service", "s3").put("instance_id", "id-s3")));
    assertThat(subjects()).filteredOn(s -> s.equals("q.service.discovery")).hasSize(2);
  }

  @Test
  void reannouncingOnlyForListedServices() {
    EventHub own = new EventHub(Runnable::run, new ReplayBuffer(10));
    List<String> out = new ArrayList<>();
    own.subscribe(SubjectFilter.of("q.service.discovery"), m -> out.add(m.instanceId()));
    new LifecycleEvents(own, new ServiceIdentity("s3", "1", "h", "me", clock, wall),
        new EventSettings("q", INTERVAL, 3, 10, List.of("auth"), true), clock, wall, lifecycle,
        () -> new LoadSnapshot("running", 0, 0, 0), () -> "http://x");

    own.receive(new EventMessage("q.lifecycle.sqs.startup", new JsonObject().put("service", "sqs").put("instance_id", "o1")));
    own.receive(new EventMessage("q.lifecycle.auth.startup", new JsonObject().put("service", "auth").put("instance_id", "o2")));

    assertThat(out).containsExactly("me");
  }

  @Test
  void theRegistryMarksAnInstanceStaleAfterTheConfiguredNumberOfSilentIntervals() {
    start();
    hub.receive(new EventMessage("q.service.discovery", new JsonObject().put("event", "announce").put("service", "sqs")
        .put("instance_id", "other").put("heartbeat_interval_seconds", 5)));
    hub.receive(new EventMessage("q.service.discovery", new JsonObject().put("event", "announce").put("service", "quiet")
        .put("instance_id", "quiet").put("heartbeat_interval_seconds", 0)));

    clock.advance(Duration.ofSeconds(15)); // 3 intervals of sqs, 1.5 of ours (we beat once meanwhile)
    assertThat(events.registry().status("other")).isEqualTo("up");
    clock.advance(Duration.ofMillis(1));
    assertThat(events.registry().status("other")).isEqualTo("stale");
    assertThat(events.registry().status("id-s3")).isEqualTo("up");
    assertThat(events.registry().status("quiet")).as("no heartbeats, never stale").isEqualTo("up");

    hub.receive(new EventMessage("q.lifecycle.sqs.heartbeat", new JsonObject().put("event", "heartbeat").put("service", "sqs")
        .put("instance_id", "other").put("timestamp", "2026-03-04T05:06:22Z")));
    assertThat(events.registry().status("other")).isEqualTo("up");
    JsonObject view = events.registry().toJson();
    assertThat(view.getJsonArray("services").stream().map(o -> ((JsonObject) o).getString("service")))
        .containsExactly("quiet", "s3", "sqs");
    assertThat(view.getJsonArray("services").getJsonObject(2).getString("last_heartbeat")).isEqualTo("2026-03-04T05:06:22Z");

    hub.receive(new EventMessage("q.lifecycle.sqs.shutdown", new JsonObject().put("event", "shutdown").put("service", "sqs")
        .put("instance_id", "other")));
    assertThat(events.registry().status("other")).isEqualTo("stopped");
  }

  private static EventMessage restart(String json) {
    return new EventMessage("q.lifecycle.group.restart", new JsonObject(json));
  }

  private static final String NOTICE =
      "{\"initiator\":\"ops\",\"reason\":\"rollout\",\"delay_seconds\":5,\"timestamp\":\"2026-03-04T05:06:07Z\"";

  @Test
  void aGroupRestartTellsListenersKeepsServingForTheDelayThenShutsDownWithReasonRestart() {
    List<RestartNotice> told = new ArrayList<>();
    events.onRestartNotice(told::add);
    start();

    hub.receive(restart(NOTICE + "}"));
    assertThat(told).extracting(RestartNotice::reason).containsExactly("rollout");
    clock.advance(Duration.ofMillis(4999));
    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(lifecycle.tracker().tryEnter()).as("still serving during the delay").isTrue();
    lifecycle.tracker().exit();

    clock.advance(Duration.ofMillis(1));

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
    assertThat(lifecycle.whenStopped().result().reason()).isEqualTo(ShutdownReason.RESTART);
    assertThat(last("q.lifecycle.s3.shutdown").body().getString("reason")).isEqualTo("RESTART");
  }

  @Test
  void invalidOrForeignNoticesAreIgnored() {
    start();

    hub.receive(restart("{\"initiator\":\"ops\"}"));
    hub.receive(restart(NOTICE + ",\"target\":[\"sqs\",\"dynamo\"]}"));
    hub.receive(new EventMessage("q.lifecycle.group.restart", new JsonObject().put("delay_seconds", "soon")));
    clock.advance(Duration.ofHours(2));

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
  }

  @Test
  void aTargetedNoticeRestartsOnlyTheNamedService() {
    start();

    hub.receive(restart(NOTICE + ",\"target\":\"s3\"}"));
    clock.advance(Duration.ofSeconds(5));

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
  }

  @Test
  void withGroupRestartOffANoticeIsLoggedAndIgnored() {
    EventHub own = new EventHub(Runnable::run, new ReplayBuffer(10));
    new LifecycleEvents(own, new ServiceIdentity("s3", "1", "h", "me", clock, wall),
        new EventSettings("q", INTERVAL, 3, 10, List.of(), false), clock, wall, lifecycle,
        () -> new LoadSnapshot("running", 0, 0, 0), () -> "http://x");
    lifecycle.start();

    own.receive(restart(NOTICE + "}"));
    clock.advance(Duration.ofSeconds(10));

    assertThat(lifecycle.state()).isEqualTo(LifecycleState.RUNNING);
  }
}
