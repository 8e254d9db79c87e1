package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.events.ClusterSettings;
import io.quiesce.events.eventbus.EventBusTransport;
import io.quiesce.http.cluster.ClusteredVertx;
import io.quiesce.signal.ExitCodes;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two emulator processes with {@code cluster.enabled} on 127.0.0.1 form a Hazelcast cluster with
 * this test's JVM: they discover each other over the clustered event bus, and a group restart
 * published by the test's member (on the address and with the subject header the runtime's own
 * event bus transport uses) stops both with the restart exit code, each telling the cluster it
 * stopped before it leaves.
 */
@Timeout(240)
class ClusteredGroupRestartProcessTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String PREFIX = "quiesce";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void clusteredEmulatorsDiscoverEachOtherAndAGroupRestartStopsAllWithExitCode75() throws Exception {
    int portA = freePort();
    int portB = freePort();
    int portTest = freePort();
    String a = "127.0.0.1:" + portA;
    String b = "127.0.0.1:" + portB;
    String self = "127.0.0.1:" + portTest;
    try (EmulatorProcess emulatorA = clustered(portA, b + "," + self);
        EmulatorProcess emulatorB = clustered(portB, a + "," + self)) {
      int httpA = emulatorA.awaitReady(START);
      int httpB = emulatorB.awaitReady(START);

      await().atMost(Duration.ofSeconds(60)).until(() -> lists(httpA, httpB) && lists(httpB, httpA));

      Vertx member = ClusteredVertx.join(new ClusterSettings(true, ClusterSettings.nameFor(PREFIX), "127.0.0.1", portTest,
          List.of(a, b)), joined -> {}).await(60, TimeUnit.SECONDS);
      try {
        Set<String> heard = ConcurrentHashMap.newKeySet();
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        String address = PREFIX + ".events";
        member.eventBus().<JsonObject>consumer(address, m -> {
          String subject = m.headers().get(EventBusTransport.SUBJECT_HEADER);
          if (subject.endsWith(".heartbeat")) {
            heard.add(m.body().getString("instance_id"));
          } else if (subject.endsWith(".shutdown") && "RESTART".equals(m.body().getString("reason"))) {
            stopped.add(m.body().getString("instance_id"));
          }
        }).completion().await(30, TimeUnit.SECONDS);
        // Both emulators' events reach this member: it is in the cluster, and its notice will reach them.
        await().atMost(Duration.ofSeconds(60)).until(() -> heard.size() == 2);

        JsonObject notice = new JsonObject().put("initiator", "test").put("reason", "rollout").put("delay_seconds", 1)
            .put("timestamp", "2026-01-01T00:00:00Z");
        member.eventBus().publish(address, notice,
            new DeliveryOptions().addHeader(EventBusTransport.SUBJECT_HEADER, PREFIX + ".lifecycle.group.restart"));

        assertThat(emulatorA.awaitExit(Duration.ofSeconds(90))).isEqualTo(ExitCodes.RESTART);
        assertThat(emulatorB.awaitExit(Duration.ofSeconds(90))).isEqualTo(ExitCodes.RESTART);
        for (EmulatorProcess p : List.of(emulatorA, emulatorB)) {
          assertThat(p.output()).contains("Group restart requested by test (rollout)").contains("\"reason\":\"RESTART\"");
        }
        // Each published its shutdown event to the cluster before leaving it.
        await().atMost(Duration.ofSeconds(30)).until(() -> stopped.equals(heard));
      } finally {
        member.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A fleet on the clustered event bus alone, reached with the tools' {@code --http}: {@code events}
   * reads the whole fleet's events through one instance, an instance that does not allow it refuses
   * to publish a restart, and one that does ({@code events.http_restart}) restarts them all.
   */
  @Test
  void theToolsReachAClusterOnlyFleetThroughAnInstanceThatAllowsIt() throws Exception {
    int portA = freePort();
    int portB = freePort();
    try (EmulatorProcess allowing = clustered(portA, "127.0.0.1:" + portB, "events.http_restart=true");
        EmulatorProcess refusing = clustered(portB, "127.0.0.1:" + portA)) {
      int httpA = allowing.awaitReady(START);
      int httpB = refusing.awaitReady(START);
      await().atMost(Duration.ofSeconds(60)).until(() -> lists(httpA, httpB) && lists(httpB, httpA));

      try (EmulatorProcess events = EmulatorLauncher.of(SampleEmulator.class).startProcess("events", "--http", "http://127.0.0.1:" + httpA,
          "--subject", PREFIX + ".lifecycle.*.heartbeat", "--count", "6", "--timeout", "60")) {
        assertThat(events.awaitExit(Duration.ofSeconds(90))).isZero();
        Set<String> instances = ConcurrentHashMap.newKeySet();
        events.lines().stream().filter(l -> l.startsWith(PREFIX + ".lifecycle."))
            .forEach(l -> instances.add(new JsonObject(l.substring(l.indexOf(' ') + 1)).getString("instance_id")));
        assertThat(instances).as("heartbeats of both members, read through one").hasSize(2);
      }

      try (EmulatorProcess refused = EmulatorLauncher.of(SampleEmulator.class).startProcess("restart-group", "--http", "http://127.0.0.1:" + httpB,
          "--reason", "rollout", "--delay", "1")) {
        assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.output()).contains("answered 403").contains("events.http_restart=true");
      }

      try (EmulatorProcess sent = EmulatorLauncher.of(SampleEmulator.class).startProcess("restart-group", "--http", "http://127.0.0.1:" + httpA,
          "--reason", "rollout", "--delay", "1", "--initiator", "ops")) {
        assertThat(sent.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.CLEAN);
        assertThat(sent.output()).contains("Sent group restart through http://127.0.0.1:" + httpA);
      }
      assertThat(allowing.awaitExit(Duration.ofSeconds(90))).isEqualTo(ExitCodes.RESTART);
      assertThat(refusing.awaitExit(Duration.ofSeconds(90))).isEqualTo(ExitCodes.RESTART);
      assertThat(refusing.output()).contains("Group restart requested by ops (rollout)");
    }
  }

  private static EmulatorProcess clustered(int clusterPort, String members, String... more) throws Exception {
    return EmulatorLauncher.of(SampleEmulator.class)
        .set("cluster.enabled=true", "cluster.port=" + clusterPort, "cluster.members=" + members,
            "events.heartbeat_interval=1s")
        .set(more)
        .startProcess();
  }

  /** True once {@code port}'s {@code /_quiesce/lifecycle/services} lists the emulator on {@code otherPort} as up. */
  private boolean lists(int port, int otherPort) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_quiesce/lifecycle/services")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonArray services = new JsonObject(r.body()).getJsonArray("services");
    return services.stream().map(JsonObject.class::cast).anyMatch(s -> "up".equals(s.getString("status"))
        && String.valueOf(s.getString("http_endpoint")).endsWith(":" + otherPort)); // null until its announcement arrives
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
