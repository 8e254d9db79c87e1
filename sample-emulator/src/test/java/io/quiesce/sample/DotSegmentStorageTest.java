package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.EmulatorSetup;
import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.config.ConfigRequest;
import io.quiesce.drain.WorkTracker;
import io.quiesce.events.nats.NatsTransport;
import io.quiesce.http.RuntimeInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bug of issue 11: during drain {@code PUT /objs/../health/x} was answered 200 and the object
 * stored, and it survived a restart. Now a raw path with a dot segment, in any encoding, is
 * answered 400 {@code invalid_path} while the emulator starts and while it drains, and after a
 * restart on the same data directory bucket {@code objs} is still empty.
 */
@Timeout(120)
class DotSegmentStorageTest {

  private static final List<String> DOT_PATHS =
      List.of("/objs/../health/x", "/objs/%2e%2e/health/x", "/objs/%2E./health/x", "/./objs/x");

  @TempDir
  Path data;

  @Test
  void duringDrainADotSegmentPutIsRefusedAndNothingIsStored() throws Exception {
    CompletableFuture<RoutingContext> held = new CompletableFuture<>();
    QuiesceRuntime rt = start(rt0 -> rt0.router().get("/_test/hold").handler(held::complete), rt0 -> {},
        "server.drain_delay=0s", "server.idle_grace=10s");
    int port = rt.port();
    try (S3Client s3 = AwsClients.s3(port)) {
      s3.createBucket(b -> b.bucket("objs"));
    }
    List<Socket> clients = new ArrayList<>();
    try (Socket waiting = new Socket("127.0.0.1", port)) {
      // Opened and used before the drain: the listener closes once refusing begins.
      for (int i = 0; i < DOT_PATHS.size(); i++) {
        Socket c = connect(port);
        clients.add(c);
        assertThat(exchange(c, "GET /_quiesce/health/live HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200");
      }
      waiting.getOutputStream().write("GET /_test/hold HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RoutingContext hold = held.get(10, TimeUnit.SECONDS);
      Future<ShutdownReport> report = rt.shutdown(ShutdownReason.MANUAL);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ((RuntimeInstance) rt).tracker().phase() == WorkTracker.Phase.REFUSING);
      assertThat(rt.state()).isEqualTo(LifecycleState.DRAINING);

      for (int i = 0; i < DOT_PATHS.size(); i++) {
        assertInvalidPath(exchange(clients.get(i), put(DOT_PATHS.get(i))), DOT_PATHS.get(i));
      }
      hold.vertx().runOnContext(v -> hold.response().end("done"));
      assertThat(report.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).clean()).isTrue();
    } finally {
      for (Socket c : clients) {
        c.close();
      }
      close(rt);
    }
    assertNothingStoredAfterARestart();
  }

  @Test
  void whileStartingWithStorageUpADotSegmentPutIsRefusedAndNothingIsStored() throws Exception {
    QuiesceRuntime first = start(rt -> {}, rt -> {});
    try (S3Client s3 = AwsClients.s3(first.port())) {
      s3.createBucket(b -> b.bucket("objs"));
    } finally {
      close(first);
    }

    // A service registered after storage and s3 holds the start: storage would accept a write now.
    Promise<Void> gate = Promise.promise();
    CompletableFuture<QuiesceRuntime> starting = new CompletableFuture<>();
    CompletableFuture<QuiesceRuntime> started = startAsync(rt -> {}, rt -> rt.manage(
        ManagedService.of("gate", () -> {
          starting.complete(rt);
          return gate.future();
        }, Future::succeededFuture)));
    QuiesceRuntime rt = starting.get(30, TimeUnit.SECONDS);
    try {
      assertThat(rt.state()).isEqualTo(LifecycleState.STARTING);
      for (String path : DOT_PATHS) {
        try (Socket c = connect(rt.port())) {
          assertInvalidPath(exchange(c, put(path)), path);
        }
      }
      try (Socket c = connect(rt.port())) {
        assertThat(exchange(c, put("/objs/normal"))).as("an ordinary PUT is refused as starting").startsWith("HTTP/1.1 503");
      }
    } finally {
      gate.tryComplete();
      started.get(30, TimeUnit.SECONDS);
      close(rt);
    }
    assertNothingStoredAfterARestart();
  }

  private void assertNothingStoredAfterARestart() throws Exception {
    QuiesceRuntime again = start(rt -> {}, rt -> {});
    try (S3Client s3 = AwsClients.s3(again.port())) {
      assertThat(s3.listObjectsV2(b -> b.bucket("objs")).contents()).as("bucket objs after a restart").isEmpty();
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("objs");
    } finally {
      close(again);
    }
  }

  /** The sample emulator on {@link #data}, with routes before its own and services after them. */
  private QuiesceRuntime start(EmulatorSetup before, EmulatorSetup after, String... settings) throws Exception {
    return startAsync(before, after, settings).get(60, TimeUnit.SECONDS);
  }

  private CompletableFuture<QuiesceRuntime> startAsync(EmulatorSetup before, EmulatorSetup after, String... settings) {
    QuiesceApplication app = QuiesceApplication.builder("sample-emulator")
        .keys(SampleEmulator.DEMO_ENDPOINTS, SampleEmulator.DATA_DIR, NatsTransport.URL)
        .setup(rt -> {
          before.configure(rt);
          SampleEmulator.configure(rt);
          after.configure(rt);
        })
        .build();
    List<String> overrides = new ArrayList<>(List.of("server.port=0", "log.level=warn", "emulator.data_dir=" + data));
    overrides.addAll(List.of(settings));
    return app.start(new ConfigRequest(Optional.empty(), Map.of(), overrides, Map.of())).toCompletionStage().toCompletableFuture();
  }

  private static void close(QuiesceRuntime rt) throws Exception {
    rt.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static String put(String path) {
    return "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nstored";
  }

  private static void assertInvalidPath(String response, String path) {
    assertThat(response).as("PUT %s", path).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_path\"");
  }

  private static Socket connect(int port) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Writes {@code request} and reads one Content-Length framed response: head and body as text. */
  private static String exchange(Socket socket, String request) throws Exception {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed before the response head: " + head);
      }
      head.write(b);
    }
    String headers = head.toString(StandardCharsets.US_ASCII);
    Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
    assertThat(length.find()).as(headers).isTrue();
    return headers + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
  }
}
