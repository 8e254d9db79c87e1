package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.quiesce.events.nats.NatsServer;
import io.quiesce.signal.ExitCodes;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two emulator processes bridged through a real nats-server: they discover each other, ignore an
 * invalid notice, and a group restart sent with the {@code restart-group} tool makes both drain and
 * exit with the restart code.
 */
@Timeout(180)
class GroupRestartProcessTest {

  private static final Duration START = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private JsonArray services(int port) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_quiesce/lifecycle/services")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getJsonArray("services");
  }

  private long up(int port) throws Exception {
    return services(port).stream().filter(o -> "up".equals(((JsonObject) o).getString("status"))).count();
  }

  @Test
  void emulatorsDiscoverEachOtherAndAGroupRestartStopsAllWithExitCode75() throws Exception {
    try (NatsServer nats = NatsServer.start();
        EmulatorProcess a = EmulatorLauncher.of(SampleEmulator.class).set("events.nats_url=" + nats.url())
            .startProcess();
        EmulatorProcess b = EmulatorLauncher.of(SampleEmulator.class).set("events.nats_url=" + nats.url())
            .startProcess()) {
      int portA = a.awaitReady(START);
      int portB = b.awaitReady(START);

      await().atMost(Duration.ofSeconds(30)).until(() -> up(portA) == 2 && up(portB) == 2);

      try (Connection sender = Nats.connect(nats.url())) {
        sender.publish("quiesce.lifecycle.group.restart", "{\"initiator\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        sender.flush(Duration.ofSeconds(10));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> a.printed("Ignoring invalid group restart notice")
          && b.printed("Ignoring invalid group restart notice"));

      int sent = SampleEmulator.application().run("restart-group", "--nats", nats.url(), "--reason", "rollout",
          "--delay", "1", "--initiator", "test");
      assertThat(sent).isZero();

      assertThat(a.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.RESTART);
      assertThat(b.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.RESTART);
      for (EmulatorProcess p : List.of(a, b)) {
        assertThat(p.output()).contains("Group restart requested by test (rollout)").contains("\"reason\":\"RESTART\"");
      }
    }
  }

  @Test
  void aTargetedRestartLeavesOtherServicesRunning() throws Exception {
    try (NatsServer nats = NatsServer.start();
        EmulatorProcess s3 = EmulatorLauncher.of(SampleEmulator.class)
            .set("events.nats_url=" + nats.url(), "service.name=s3").startProcess();
        EmulatorProcess sqs = EmulatorLauncher.of(SampleEmulator.class)
            .set("events.nats_url=" + nats.url(), "service.name=sqs").startProcess()) {
      s3.awaitReady(START);
      int sqsPort = sqs.awaitReady(START);
      await().atMost(Duration.ofSeconds(30)).until(() -> up(sqsPort) == 2);

      assertThat(SampleEmulator.application().run("restart-group", "--nats", nats.url(), "--reason", "s3 only",
          "--delay", "0", "--target", "s3")).isZero();

      assertThat(s3.awaitExit(Duration.ofSeconds(60))).isEqualTo(ExitCodes.RESTART);
      await().atMost(Duration.ofSeconds(30)).until(() -> sqs.printed("is for [s3], not for sqs"));
      await().atMost(Duration.ofSeconds(30)).until(() -> services(sqsPort).stream()
          .anyMatch(o -> "s3".equals(((JsonObject) o).getString("service")) && "stopped".equals(((JsonObject) o).getString("status"))));
      assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sqsPort + "/_quiesce/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }
}
