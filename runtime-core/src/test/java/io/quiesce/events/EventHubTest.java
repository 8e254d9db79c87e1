package io.quiesce.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EventHubTest {

  /** A transport that records what it sends and can be told to fail. */
  static final class FakeTransport implements EventTransport {
    final List<EventMessage> sent = new ArrayList<>();
    Consumer<EventMessage> inbound;
    RuntimeException throwOnPublish;
    boolean failFuture;
    boolean closed;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public Future<Void> start(Consumer<EventMessage> inbound) {
      this.inbound = inbound;
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> publish(EventMessage message) {
      if (throwOnPublish != null) {
        throw throwOnPublish;
      }
      sent.add(message);
      return failFuture ? Future.failedFuture("broker gone") : Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }

  private final EventHub hub = new EventHub(Runnable::run, new ReplayBuffer(3));
  private final FakeTransport transport = new FakeTransport();
  private final List<String> received = new ArrayList<>();

  EventHubTest() {
    hub.addTransport(transport);
    hub.start();
  }

  private static EventMessage event(String subject, String id) {
    return new EventMessage(subject, new JsonObject().put("event_id", id));
  }

  @Test
  void aFailedPublishIsCountedAndLocalSubscribersStillGetTheEvent() {
    hub.subscribe(SubjectFilter.of("q.>"), m -> received.add(m.subject()));
    transport.throwOnPublish = new IllegalStateException("connection closed");

    hub.publish(event("q.lifecycle.a.startup", "1"));
    transport.throwOnPublish = null;
    transport.failFuture = true;
    hub.publish(event("q.lifecycle.a.heartbeat", "2"));

    assertThat(received).containsExactly("q.lifecycle.a.startup", "q.lifecycle.a.heartbeat");
    assertThat(hub.publishFailures()).isEqualTo(2);
  }

  @Test
  void anEventArrivingTwiceIsDeliveredOnce() {
    hub.subscribe(SubjectFilter.of("q.>"), m -> received.add(m.eventId()));

    hub.publish(event("q.x", "same"));
    transport.inbound.accept(event("q.x", "same")); // the bus hands our own event back
    transport.inbound.accept(event("q.y", "other"));

    assertThat(received).containsExactly("same", "other");
    assertThat(transport.sent).hasSize(1);
  }

  @Test
  void onlyMatchingSubscribersAreCalledAndAFailingOneDoesNotStopTheOthers() {
    hub.subscribe(SubjectFilter.of("q.*.startup"), m -> {
      throw new IllegalStateException("subscriber bug");
    });
    hub.subscribe(SubjectFilter.of("q.*.startup"), m -> received.add("startup:" + m.subject()));
    EventHub.Subscription all = hub.subscribe(SubjectFilter.of("q.>"), m -> received.add("all:" + m.subject()));

    hub.publish(event("q.a.startup", "1"));
    all.cancel();
    hub.publish(event("q.b.shutdown", "2"));

    assertThat(received).containsExactly("startup:q.a.startup", "all:q.a.startup");
  }

  @Test
  void theReplayBufferKeepsTheNewestEventsOldestFirst() {
    for (int i = 1; i <= 5; i++) {
      hub.publish(event(i % 2 == 0 ? "q.even" : "q.odd", "e" + i));
    }

    assertThat(hub.recent(SubjectFilter.of("q.>"), 10)).extracting(EventMessage::eventId).containsExactly("e3", "e4", "e5");
    assertThat(hub.recent(SubjectFilter.of("q.odd"), 10)).extracting(EventMessage::eventId).containsExactly("e3", "e5");
    assertThat(hub.recent(SubjectFilter.of("q.>"), 1)).extracting(EventMessage::eventId).containsExactly("e5");
  }

  @Test
  void afterCloseEventsStayLocal() {
    hub.close();
    hub.publish(event("q.x", "late"));

    assertThat(transport.closed).isTrue();
    assertThat(transport.sent).isEmpty();
    assertThat(hub.recent(SubjectFilter.of("q.>"), 10)).hasSize(1);
  }
}
