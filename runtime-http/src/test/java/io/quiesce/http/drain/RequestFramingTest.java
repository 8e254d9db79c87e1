package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * RFC 9112 §6.1 and §6.3, for every route of every emulator: a request whose body cannot be framed
 * gets 400 and the connection ends; nothing read with it or after it reaches a route.
 */
class RequestFramingTest {

  private final List<String> reached = new CopyOnWriteArrayList<>();
  private TestEmulator emulator;

  @BeforeEach
  void start() throws Exception {
    emulator = TestEmulator.start(rt -> rt.router().route("/r/*").handler(ctx -> {
      reached.add(ctx.request().method() + " " + ctx.request().path());
      ctx.request().body().onComplete(b -> ctx.response().end("reached"));
    }));
  }

  @AfterEach
  void close() throws Exception {
    emulator.close();
  }

  @ParameterizedTest(name = "Transfer-Encoding: {0}")
  @ValueSource(strings = {"xchunked", "gzip", "gzip, chunked", "identity", "chunked, chunked"})
  void aTransferCodingOtherThanChunkedWithAContentLengthIs400AndTheEnd(String coding) throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("PUT /r/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\nContent-Length: 3\r\n\r\nabc").read();
      assertRefused(r, c);
    }
  }

  @Test
  void chunkedWithAContentLengthIs400AndTheEnd() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("PUT /r/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(c.awaitEnd(Duration.ofSeconds(5))).isNotEqualTo(RawConnection.Ending.STILL_OPEN);
    }
    assertThat(reached).isEmpty();
  }

  @Test
  void aRequestSmuggledBehindAnUnframeableOneNeverReachesARoute() throws Exception {
    // Without a length, Netty reads the gzip-coded request as bodiless and its "body" as a second request.
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("POST /r/front HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
          + "DELETE /r/smuggled HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertRefused(r, c);
    }
  }

  @Test
  void twoTransferEncodingHeadersAreRefusedToo() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("PUT /r/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").read();
      assertRefused(r, c);
    }
  }

  @Test
  void aChunkedBodyAloneIsServed() throws Exception {
    try (RawConnection c = RawConnection.open(emulator.port())) {
      RawResponse r = c.write("PUT /r/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(c.exchange("/r/b").status()).as("kept alive").isEqualTo(200);
    }
    assertThat(reached).containsExactly("PUT /r/a", "GET /r/b");
  }

  private void assertRefused(RawResponse r, RawConnection c) throws Exception {
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.asksToClose()).isTrue();
    assertThat(r.json().getString("error")).isEqualTo("invalid_framing");
    // The server ends the connection (FIN after the answer), well before the linger bound.
    assertThat(c.awaitEnd(Duration.ofSeconds(5))).isEqualTo(RawConnection.Ending.EOF);
    assertThat(reached).as("no route saw the request or anything after it").isEmpty();
    assertThat(emulator.runtime().health().requests().totalRequests()).isZero();
  }
}
