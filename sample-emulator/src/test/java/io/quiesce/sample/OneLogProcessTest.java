package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.events.nats.NatsServer;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One log: what Hazelcast and the NATS client have to say reaches the output only through the
 * runtime's log4j, in its format — checked on every line a real emulator process writes (stdout and
 * stderr) from launch to exit.
 */
@Timeout(240)
class OneLogProcessTest {

  private static final Duration START = Duration.ofSeconds(90);
  /** A line of the text layout: {@code 2026-01-01T00:00:00.000Z INFO  [thread] Logger - message}. */
  private static final Pattern TEXT_LINE =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\[[^\\]]+\\] \\S+ - .*"
          // the lines of a stack trace the layout writes after its entry's line (%throwable)
          + "|\\t(at |\\.\\.\\. \\d+ more|Suppressed: ).*|(Caused by: )?([a-z][\\w$]*\\.)+[A-Z][\\w$]*(: .*)?");
  /** The start of a line that java.util.logging or Hazelcast's own console logging would write. */
  private static final Pattern FOREIGN_LINE = Pattern.compile(
      "([A-Z][a-z]{2} \\d{1,2}, \\d{4} .*|(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): .*|\\d\\d:\\d\\d:\\d\\d.*)");
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void twoClusteredEmulatorsWriteOnlyTheRuntimesLogLines() throws Exception {
    int clusterA = freePort();
    int clusterB = freePort();
    try (EmulatorProcess a = clustered(clusterA, clusterB);
        EmulatorProcess b = clustered(clusterB, clusterA)) {
      int httpA = a.awaitReady(START);
      int httpB = b.awaitReady(START);
      // Joined, and each heard of the other: Hazelcast has said all it says at start.
      await().atMost(Duration.ofSeconds(90)).until(() -> lists(httpA, httpB) && lists(httpB, httpA));
      assertThat(a.printed("joined (2 members)") || b.printed("joined (2 members)")).isTrue();

      a.signal(Signal.TERM);
      b.signal(Signal.TERM);
      assertThat(a.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(b.awaitExit(Duration.ofSeconds(60))).isZero();
      for (EmulatorProcess p : List.of(a, b)) {
        // Every line is the runtime's: an entry, a stack trace's line, or a line of a message that
        // has several (Hazelcast's "unknown addresses ... {" list when the other member left first).
        List<String> lines = p.lines();
        assertThat(lines).as("the output").isNotEmpty();
        assertThat(lines.get(0)).as("the first line, in the runtime's text layout").matches(TEXT_LINE);
        assertThat(lines).as("no line in another layout (java.util.logging's, Hazelcast's own console)")
            .noneMatch(line -> FOREIGN_LINE.matcher(line).matches());
        assertThat(p.output()).contains("Joined the event cluster quiesce-events");
      }
    }
  }

  @Test
  void aNatsOutageIsLoggedInJsonAndPublishedAsDisconnectedAndConnected() throws Exception {
    NatsServer nats = NatsServer.start();
    String url = nats.url();
    NatsServer again = null;
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("events.nats_url=" + url, "log.format=json", "log.level=debug").startProcess()) {
      int port = emulator.awaitReady(START);
      await().atMost(Duration.ofSeconds(30)).until(() -> emulator.printed("Events bridged to NATS"));

      nats.close();
      await().atMost(Duration.ofSeconds(30)).until(() -> emulator.printed("Lost the connection to NATS at " + url));
      // Several reconnect attempts fail (the client tries every second): each is a debug line, no more.
      await().atMost(Duration.ofSeconds(60)).until(() -> emulator.lines().stream().filter(l -> l.contains("still unreachable")).count() >= 3);
      again = NatsServer.start(nats.port());
      await().atMost(Duration.ofSeconds(60)).until(() -> emulator.printed("Connection to NATS at " + url + " is back"));
      await().atMost(Duration.ofSeconds(30)).until(() -> !events(port, "quiesce.lifecycle.*.connected").isEmpty());
      JsonObject down = events(port, "quiesce.lifecycle.*.disconnected").getJsonObject(0).getJsonObject("payload");
      JsonObject back = events(port, "quiesce.lifecycle.*.connected").getJsonObject(0).getJsonObject("payload");
      assertThat(down.getString("target")).isEqualTo("nats");
      assertThat(down.getJsonObject("details").getString("url")).isEqualTo(url);
      assertThat(back.getString("target")).isEqualTo("nats");
      assertThat(back.getJsonObject("details").getLong("down_ms")).isPositive();

      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(Duration.ofSeconds(60))).isZero();
      assertThat(emulator.lines()).as("every line of stdout and stderr is one JSON object").isNotEmpty()
          .allSatisfy(OneLogProcessTest::assertJson);
      assertThat(emulator.output()).doesNotContain("SEVERE").doesNotContain("exceptionOccurred");
    } finally {
      nats.close();
      if (again != null) {
        again.close();
      }
    }
  }

  private static void assertJson(String line) {
    try {
      assertThat(new JsonObject(line).getString("log.level")).isNotNull();
    } catch (DecodeException | ClassCastException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }

  private static EmulatorProcess clustered(int clusterPort, int otherPort) throws Exception {
    return EmulatorLauncher.of(SampleEmulator.class).set("cluster.enabled=true", "cluster.port=" + clusterPort,
        "cluster.members=127.0.0.1:" + otherPort, "events.heartbeat_interval=1s").startProcess();
  }

  private JsonArray events(int port, String subject) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/_quiesce/lifecycle/events?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonArray("events");
  }

  /** True once {@code port}'s {@code /_quiesce/lifecycle/services} lists the emulator on {@code otherPort} as up. */
  private boolean lists(int port, int otherPort) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_quiesce/lifecycle/services")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonArray("services").stream().map(JsonObject.class::cast)
        .anyMatch(s -> "up".equals(s.getString("status")) && String.valueOf(s.getString("http_endpoint")).endsWith(":" + otherPort));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
