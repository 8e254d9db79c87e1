package io.quiesce.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.http.testkit.CapturedLog;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two request-targets that are not a path (RFC 9112 §3.2.3 and §3.2.4) get a clean answer
 * from the runtime, logged as nothing worse than the client's mistake it is: {@code OPTIONS *}
 * (the server's own options) and {@code CONNECT host:port} (a tunnel, which no emulator is).
 */
class AsteriskAndConnectTest {

  private TestEmulator emulator;
  private CapturedLog log;

  @BeforeEach
  void start() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().route().handler(ctx -> ctx.response().end("reached")));
    log = CapturedLog.everything();
  }

  @AfterEach
  void close() throws Exception {
    log.close();
    emulator.close();
  }

  @Test
  void optionsAsteriskIsAnsweredWithTheMethodsAndLogsNoError() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      // The connection is still usable: the answer was a complete, ordinary response.
      assertThat(c.exchange("/ok").status()).isEqualTo(200);
    }
    assertThat(log.lines()).as("log").noneMatch(l -> l.startsWith("ERROR"));
    assertThat(emulator.runtime().health().requests().totalErrors()).isZero();
  }

  @Test
  void connectIsRefusedAndLogsNoError() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEmpty();
      assertThat(r.json().getString("error")).isEqualTo("method_not_allowed");
      assertThat(c.exchange("/ok").status()).as("the connection is still HTTP, and usable").isEqualTo(200);
    }
    assertThat(log.lines()).as("log").noneMatch(l -> l.startsWith("ERROR"));
    assertThat(emulator.runtime().health().requests().totalErrors()).isZero();
  }

  @Test
  void anotherMethodOnAsteriskIsABadRequest() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().getString("error")).isEqualTo("invalid_target");
    }
    assertThat(log.lines()).as("log").noneMatch(l -> l.startsWith("ERROR"));
  }
}
