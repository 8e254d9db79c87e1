package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.drain.WorkTracker;
import io.quiesce.http.testkit.RawConnection.Ending;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * During the drain delay (readiness already 503, load balancers still catching up) requests are
 * still served in full, each told with {@code Connection: close} to leave, and the server closes
 * the connection after the response.
 */
@Timeout(60)
class DrainDelayTest {

  private TestEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=3s");
  }

  @AfterEach
  void close() throws Exception {
    emulator.close();
  }

  @Test
  void aRequestOnAKeepAliveConnectionDuringTheDelayIsServedWithConnectionCloseAndTheConnectionClosed() throws Exception {
    try (RawConnection client = RawConnection.open(emulator.port())) {
      RawResponse before = client.exchange("/ok");
      assertThat(before.status()).isEqualTo(200);
      assertThat(before.header("Connection")).as("keep-alive while running").isNull();

      emulator.shutdown();
      assertDrainDelay();
      RawResponse during = client.exchange("/ok");
      assertDrainDelay();

      assertThat(during.status()).isEqualTo(200);
      assertThat(during.body()).isEqualTo("ok");
      assertThat(during.asksToClose()).as("Connection: close, got %s", during.headers()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(2))).isEqualTo(Ending.EOF);
    }
  }

  @Test
  void aNewConnectionDuringTheDelayIsStillServedWithConnectionClose() throws Exception {
    emulator.shutdown();
    assertDrainDelay();
    try (RawConnection client = RawConnection.open(emulator.port())) {
      RawResponse during = client.exchange("/ok");
      assertDrainDelay();

      assertThat(during.status()).isEqualTo(200);
      assertThat(during.asksToClose()).isTrue();
      assertThat(client.awaitEnd(Duration.ofSeconds(2))).isEqualTo(Ending.EOF);
    }
  }

  private void assertDrainDelay() {
    assertThat(emulator.runtime().lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
    assertThat(emulator.runtime().tracker().phase()).as("not refusing yet").isEqualTo(WorkTracker.Phase.DRAINING);
  }
}
