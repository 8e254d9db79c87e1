package io.quiesce.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.TestEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client's mistake is a 4xx, never a 5xx, and never counted as a server error in health. */
class ClientMistakesTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aBadPercentEscapeInThePathIs400() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().route().handler(ctx -> ctx.response().end("reached")));
    assertThat(RawConnection.get(emulator.port(), "/b/%zz").status()).isEqualTo(400);
    assertThat(RawConnection.get(emulator.port(), "/b/%").status()).isEqualTo(400);
    assertThat(emulator.runtime().health().requests().totalErrors()).isZero();
  }

  @Test
  void notImplementedIsNotCountedAsAServerError() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().get("/unsupported").handler(ctx -> ctx.response().setStatusCode(501).end()));
    assertThat(RawConnection.get(emulator.port(), "/unsupported").status()).isEqualTo(501);
    assertThat(emulator.runtime().health().requests().totalRequests()).isEqualTo(1);
    assertThat(emulator.runtime().health().requests().totalErrors()).as("501: the emulator lacks it, it did not fail").isZero();
  }
}
