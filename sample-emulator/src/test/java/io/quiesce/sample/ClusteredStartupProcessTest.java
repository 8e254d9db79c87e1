package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clustering never holds start-up back: an emulator whose listed member is not running is ready
 * (its readiness route answers 200) while it is still joining, forms the cluster alone in the
 * background, and the listed member, started later, joins it.
 */
@Timeout(240)
class ClusteredStartupProcessTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String JOINED = "Joined the event cluster";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void readyWhileItsListedMemberIsAbsentAndThatMemberJoinsWhenItComes() throws Exception {
    int clusterA = freePort();
    int clusterB = freePort(); // nobody listens there until b starts
    try (EmulatorProcess a = clustered(clusterA, clusterB)) {
      int httpA = a.awaitReady(START);
      assertThat(status(httpA, "/_quiesce/health/ready")).isEqualTo(200);

      // The join goes on after readiness (by the emulator's own clock: no race with this test's scheduling).
      await().atMost(Duration.ofSeconds(60)).until(() -> a.printed(JOINED));
      assertThat(a.loggedAt("Ready.")).as("ready before the cluster is joined").isBefore(a.loggedAt(JOINED));

      try (EmulatorProcess b = clustered(clusterB, clusterA)) {
        int httpB = b.awaitReady(START);
        await().atMost(Duration.ofSeconds(60)).until(() -> lists(httpA, httpB) && lists(httpB, httpA) && b.printed(JOINED));
        assertThat(b.loggedAt("Ready.")).isBefore(b.loggedAt(JOINED));
      }
    }
  }

  private static EmulatorProcess clustered(int clusterPort, int otherPort) throws Exception {
    return EmulatorLauncher.of(SampleEmulator.class).set("cluster.enabled=true", "cluster.port=" + clusterPort,
        "cluster.members=127.0.0.1:" + otherPort).startProcess();
  }

  private int status(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** True once {@code port}'s {@code /_quiesce/lifecycle/services} lists the emulator on {@code otherPort} as up. */
  private boolean lists(int port, int otherPort) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_quiesce/lifecycle/services")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonArray services = new JsonObject(r.body()).getJsonArray("services");
    return services.stream().map(JsonObject.class::cast).anyMatch(s -> "up".equals(s.getString("status"))
        && String.valueOf(s.getString("http_endpoint")).endsWith(":" + otherPort));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
