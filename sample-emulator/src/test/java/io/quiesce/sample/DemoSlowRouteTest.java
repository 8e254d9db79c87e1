package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /_demo/slow?ms=0} answers the same complete body to every request, over HTTP/1.1 and
 * HTTP/2, although that body is encoded once and shared by every response; a bad {@code ms} is a
 * 400 that quotes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class DemoSlowRouteTest {

  @Emulator
  InProcessEmulator emulator;

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void everyAnswerCarriesTheWholeBody(HttpClient.Version version) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = client.send(get("/_demo/slow?ms=0"), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("request %d over %s", i, version).isEqualTo(200);
      assertThat(r.version()).isEqualTo(version);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(r.body()).as("request %d over %s", i, version).isEqualTo("{\"slept_ms\":0}");
    }
    HttpResponse<String> bad = client.send(get("/_demo/slow?ms=12x"), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("was \\\"12x\\\"");
    HttpResponse<String> signed = client.send(get("/_demo/slow?ms=+1"), HttpResponse.BodyHandlers.ofString());
    assertThat(signed.body()).isEqualTo("{\"slept_ms\":1}");
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + path)).timeout(Duration.ofSeconds(10)).build();
  }
}
