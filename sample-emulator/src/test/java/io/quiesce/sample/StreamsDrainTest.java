package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long-lived exchanges at SIGTERM, through a real emulator process: an open WebSocket gets the
 * application's last message, then a close frame 1001 Going Away, and the closing handshake
 * completes; a server-sent event stream gets its final event and its terminating chunk. Both
 * within the budget, exit code 0.
 */
class StreamsDrainTest {

  @Test
  void anOpenWebSocketGetsTheLastMessageThenGoingAwayAndTheHandshakeCompletes() throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).set("server.shutdown_timeout=10s")
        .startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      List<String> messages = new CopyOnWriteArrayList<>();
      CompletableFuture<String> closed = new CompletableFuture<>();
      CompletableFuture<Void> echoed = new CompletableFuture<>();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/_demo/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              messages.add(data.toString());
              if (data.toString().equals("hello")) {
                echoed.complete(null);
              }
              webSocket.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              closed.complete(statusCode + " " + reason);
              return null; // the client's own close frame follows: the handshake completes
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
              closed.completeExceptionally(error);
            }
          }).get(10, TimeUnit.SECONDS);
      ws.sendText("hello", true);
      echoed.get(10, TimeUnit.SECONDS);

      long signalAt = System.nanoTime();
      emulator.signal(Signal.TERM);

      assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo("1001 server shutting down");
      assertThat(messages).as("the application's last message came before the close").containsExactly("hello", "server draining");
      assertThat(emulator.awaitExit(Duration.ofSeconds(15))).as(emulator.output()).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - signalAt)).isLessThan(Duration.ofSeconds(10));
      assertThat(emulator.output()).contains("\"clean\":true");
    }
  }

  @Test
  void aServerSentEventStreamGetsItsFinalEventAndItsLastChunk() throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).set("server.shutdown_timeout=10s")
        .startProcess();
        Socket socket = new Socket()) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write("GET /_demo/events?ms=50 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      while (!seen.toString(StandardCharsets.UTF_8).contains("event: tick")) {
        seen.write(in.read());
      }

      emulator.signal(Signal.TERM);
      in.transferTo(seen); // until the server closes the connection
      String stream = seen.toString(StandardCharsets.UTF_8);

      assertThat(stream).startsWith("HTTP/1.1 200").contains("text/event-stream").contains("event: end\ndata: server draining");
      assertThat(stream).as("the terminating chunk: the stream ended, not cut").endsWith("0\r\n\r\n");
      assertThat(emulator.awaitExit(Duration.ofSeconds(15))).as(emulator.output()).isZero();
    }
  }
}
