package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /_quiesce/metrics scraped from a real process while it drains: the scrape is answered although new work
 * is refused, and it shows the request still in flight and the refusals as they happen.
 */
class MetricsDuringDrainTest {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void scrapeDuringDrainShowsInFlightRejectedAndDrainingState() throws Exception {
    // An idle grace long enough that the keep-alive connections opened before the signal are still
    // usable while refusing, short enough that the HTTP client's pooled ones do not hold the exit long.
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("metrics.vertx_http=true", "server.idle_grace=10s", "server.shutdown_timeout=90s",
            "server.drain_timeout=60s")
        .startProcess()) {
      int port = emulator.awaitReady(Duration.ofSeconds(30));
      scrape(port); // a finished request, so that Vert.x's request counters exist in the next scrape
      Map<String, Double> before = scrape(port);
      assertThat(before).containsEntry("quiesce_lifecycle_state{state=\"running\"}", 1.0)
          .containsEntry("quiesce_service_up{service=\"storage\"}", 1.0)
          .containsEntry("quiesce_service_restarts_total{service=\"storage\"}", 0.0)
          .containsEntry("quiesce_requests_rejected_total{reason=\"draining\"}", 0.0)
          .containsEntry("quiesce_shutdown_duration_seconds", 0.0);
      assertThat(before.keySet()).as("Vert.x HTTP server metrics").anyMatch(k -> k.startsWith("vertx_http_server_requests_total"));

      CompletableFuture<HttpResponse<String>> slow;
      try (Socket refusedOn = keepAlive(port); Socket scrapedOn = keepAlive(port)) {
        slow = http.sendAsync(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/_demo/slow?ms=8000")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape(port).get("quiesce_requests_in_flight") == 1.0);

        emulator.signal(Signal.TERM);
        await().atMost(Duration.ofSeconds(20)).until(() -> emulator.printed("Shutdown phase drain_requests"));

        assertThat(exchange(refusedOn, "/_demo/slow?ms=0")).startsWith("HTTP/1.1 503");
        String text = exchange(scrapedOn, "/_quiesce/metrics");
        assertThat(text).startsWith("HTTP/1.1 200");
        Map<String, Double> during = parse(text.substring(text.indexOf("\r\n\r\n") + 4));
        assertThat(during.get("quiesce_requests_in_flight")).isGreaterThan(0);
        assertThat(during.get("quiesce_requests_rejected_total{reason=\"draining\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(during).containsEntry("quiesce_lifecycle_state{state=\"draining\"}", 1.0)
            .containsEntry("quiesce_lifecycle_state{state=\"running\"}", 0.0);
        assertThat(during.get("quiesce_shutdown_duration_seconds")).isGreaterThan(0);
      } // closes both connections: the drain need not wait out their idle grace

      assertThat(slow.get().statusCode()).as("the in-flight request finishes").isEqualTo(200);
      assertThat(emulator.awaitExit(Duration.ofSeconds(60))).isZero();
    }
  }

  /** A connection that has served one request and is now idle, kept alive. */
  private static Socket keepAlive(int port) throws Exception {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    assertThat(exchange(socket, "/_quiesce/health/live")).startsWith("HTTP/1.1 200");
    return socket;
  }

  /** One GET on {@code socket}; the whole response (Content-Length framed) as text. */
  private static String exchange(Socket socket, String path) throws Exception {
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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

  private Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_quiesce/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return parse(r.body());
  }

  /** Prometheus text format: one sample per line, comments skipped. */
  private static Map<String, Double> parse(String body) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }
}
