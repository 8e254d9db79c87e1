package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownReport;
import io.quiesce.http.testkit.HeldRequests.Held;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP server is not a managed service: supervision can neither restart it nor stop it, so
 * the drain always closes the one listener the server has. (When it was a service, a restart
 * bound a new listening socket the drain never closed, and connects kept being accepted during
 * shutdown.)
 */
@Timeout(60)
class ListenerOutOfSupervisionTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void supervisionKnowsNoHttpServiceAndAfterAServiceRestartTheDrainStillClosesTheListener() throws Exception {
    emulator = TestEmulator.start(rt -> rt.manage(ManagedService.of("store", Future::succeededFuture, Future::succeededFuture)),
        "server.drain_delay=0s");
    var services = emulator.runtime().lifecycle().services();
    assertThat(services.statuses()).containsOnlyKeys("store");
    assertThatThrownBy(() -> services.restart("http")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> emulator.runtime().supervisor().fatal("http", new RuntimeException("boom")))
        .isInstanceOf(IllegalArgumentException.class);
    TestEmulator.await(services.restart("store"));
    int port = emulator.port();

    try (RawConnection waiting = RawConnection.open(port)) {
      waiting.sendGet("/hold");
      Held slow = emulator.held().next();
      Future<ShutdownReport> report = emulator.shutdown();

      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
          .until(() -> RawConnection.connectRefused(port));
      slow.release("done");
      assertThat(waiting.read().status()).isEqualTo(200);
      assertThat(TestEmulator.await(report).clean()).isTrue();
    }
  }
}
