package io.quiesce.events.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quiesce.events.EventHub;
import io.quiesce.events.EventMessage;
import io.quiesce.events.ReplayBuffer;
import io.quiesce.events.SubjectFilter;
import io.quiesce.events.nats.cli.EventsCommand;
import io.quiesce.events.nats.cli.RestartGroupCommand;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The NATS bridge against a real nats-server on 127.0.0.1. */
@Timeout(120)
class NatsTransportTest {

  private static NatsServer server;
  private final EventHub hub = new EventHub(Runnable::run, new ReplayBuffer(100));
  private final List<EventMessage> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = NatsServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @AfterEach
  void closeHub() throws Exception {
    hub.close().await(30, TimeUnit.SECONDS);
  }

  private void startBridge(String url) throws Exception {
    hub.addTransport(new NatsTransport(url, "q", (event, details) -> {}));
    hub.subscribe(SubjectFilter.of("q.>"), received::add);
    hub.start().await(30, TimeUnit.SECONDS);
  }

  @Test
  void eventsArePublishedOnTheirOwnSubjectWithTheSameJson() throws Exception {
    startBridge(server.url());
    try (Connection watcher = Nats.connect(server.url())) {
      Subscription sub = watcher.subscribe("q.lifecycle.*.startup");
      watcher.flush(Duration.ofSeconds(10));

      hub.publish(new EventMessage("q.lifecycle.s3.startup", new JsonObject().put("service", "s3").put("event_id", "e1")));

      Message m = sub.nextMessage(Duration.ofSeconds(20));
      assertThat(m).isNotNull();
      assertThat(m.getSubject()).isEqualTo("q.lifecycle.s3.startup");
      assertThat(new JsonObject(new String(m.getData(), StandardCharsets.UTF_8)).getString("service")).isEqualTo("s3");
    }
    assertThat(hub.publishFailures()).isZero();
  }

  @Test
  void messagesFromNatsReachSubscribersAndNonJsonIsDropped() throws Exception {
    startBridge(server.url());
    try (Connection sender = Nats.connect(server.url())) {
      sender.publish("q.lifecycle.group.restart", "{not json".getBytes(StandardCharsets.UTF_8));
      sender.publish("q.service.discovery.poll", "{}".getBytes(StandardCharsets.UTF_8));
      sender.publish("other.fleet.thing", "{}".getBytes(StandardCharsets.UTF_8));
      sender.flush(Duration.ofSeconds(10));
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
    assertThat(received).extracting(EventMessage::subject).containsExactly("q.service.discovery.poll");
  }

  @Test
  void anUnreachableServerLeavesTheBridgeOutAndEventsStayLocal() throws Exception {
    startBridge("nats://127.0.0.1:1"); // nothing listens on port 1

    hub.publish(new EventMessage("q.lifecycle.s3.heartbeat", new JsonObject().put("event_id", "e2")));

    assertThat(received).extracting(EventMessage::subject).containsExactly("q.lifecycle.s3.heartbeat");
  }

  @Test
  void restartGroupSendsAValidNoticeThatEventsFollowPrints() throws Exception {
    startBridge(server.url());
    StringWriter watched = new StringWriter();
    StringWriter status = new StringWriter();
    Thread follower = new Thread(() -> new CommandLine(new EventsCommand()).setOut(new PrintWriter(watched))
        .setErr(new PrintWriter(status, true))
        .execute("--nats", server.url(), "--prefix", "q", "--subject", "q.lifecycle.group.>", "--count", "1", "--timeout", "60"));
    follower.start();
    // It says so on stderr once its subscription is registered with the server.
    await().atMost(Duration.ofSeconds(30)).until(() -> status.toString().contains("Watching q.lifecycle.group.>"));

    StringWriter out = new StringWriter();
    int code = new CommandLine(new RestartGroupCommand()).setOut(new PrintWriter(out))
        .execute("--nats", server.url(), "--prefix", "q", "--reason", "new build", "--delay", "3", "--target", "s3",
            "--initiator", "ci");

    assertThat(code).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());
    JsonObject notice = received.get(0).body();
    assertThat(notice.getString("initiator")).isEqualTo("ci");
    assertThat(notice.getDouble("delay_seconds")).isEqualTo(3.0);
    assertThat(io.quiesce.events.RestartNotice.parse(notice).targets()).containsExactly("s3");
    follower.join(30_000);
    assertThat(watched.toString()).startsWith("q.lifecycle.group.restart {").contains("\"reason\":\"new build\"");
  }

  @Test
  void bothWaysToTheFleetOrAUrlThatIsNoInstanceIsAUsageError() {
    StringWriter both = new StringWriter();
    StringWriter notHttp = new StringWriter();

    int bothCode = new CommandLine(new RestartGroupCommand()).setErr(new PrintWriter(both))
        .execute("--nats", "nats://127.0.0.1:1", "--http", "http://127.0.0.1:1", "--reason", "x");
    int notHttpCode = new CommandLine(new EventsCommand()).setErr(new PrintWriter(notHttp)).execute("--http", "nats://127.0.0.1:1");

    assertThat(bothCode).isEqualTo(2);
    assertThat(both.toString()).contains("give either --nats or --http, not both");
    assertThat(notHttpCode).isEqualTo(2);
    assertThat(notHttp.toString()).contains("--http: expected an instance's base URL like http://127.0.0.1:4566");
  }

  @Test
  void restartGroupThroughAnInstanceThatIsNotThereExits1() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RestartGroupCommand()).setErr(new PrintWriter(err))
        .execute("--http", "http://127.0.0.1:1", "--reason", "x");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot send the notice: cannot reach the instance at http://127.0.0.1:1");
  }

  @Test
  void restartGroupWithoutAServerExits1() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RestartGroupCommand()).setErr(new PrintWriter(err))
        .execute("--nats", "nats://127.0.0.1:1", "--reason", "x");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot send the notice to NATS at nats://127.0.0.1:1");
  }

  @Test
  void aPasswordInTheUrlIsNeverShownInTheTransportsNameOrItsFailure() throws Exception {
    NatsTransport transport = new NatsTransport("nats://alice:s3cret@127.0.0.1:1", "q", (event, details) -> {});

    assertThat(transport.name()).isEqualTo("nats nats://alice:***@127.0.0.1:1");
    io.vertx.core.Future<Void> started = transport.start(m -> {});
    started.toCompletionStage().toCompletableFuture().handle((v, e) -> null).get(30, TimeUnit.SECONDS);
    assertThat(started.failed()).isTrue();
    assertThat(started.cause()).hasMessageContaining("cannot connect to NATS at nats://alice:***@127.0.0.1:1");
    for (Throwable t = started.cause(); t != null; t = t.getCause()) {
      assertThat(t).as("every message in the chain, as a log line with a stack trace shows them").hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void theToolsNeverPrintAPasswordFromTheUrl() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RestartGroupCommand()).setErr(new PrintWriter(err))
        .execute("--nats", "nats://alice:s3cret@127.0.0.1:1", "--reason", "x");
    StringWriter err2 = new StringWriter();
    int code2 = new CommandLine(new EventsCommand()).setErr(new PrintWriter(err2))
        .execute("--nats", "nats://tok3n@127.0.0.1:1", "--count", "1", "--timeout", "1");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Cannot send the notice to NATS at nats://alice:***@127.0.0.1:1").doesNotContain("s3cret");
    assertThat(code2).isEqualTo(1);
    assertThat(err2.toString()).contains("Cannot connect to NATS at nats://***@127.0.0.1:1").doesNotContain("tok3n");
  }
}
