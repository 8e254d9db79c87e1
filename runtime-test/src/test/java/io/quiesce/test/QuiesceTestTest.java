package io.quiesce.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.ProbeRequest;
import io.quiesce.test.probe.RequestMix;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an emulator author writes: the annotation, and the emulator handed in as parameters and fields. */
@QuiesceTest(value = HelloEmulator.class, dataDirKey = "hello.data_dir", set = "server.drain_timeout=5s")
class QuiesceTestTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Emulator
  QuiesceRuntime runtime;

  @Emulator
  URI base;

  @Test
  void theInProcessEmulatorIsRunningOnAFreePortWithAFreshDataDirectory(URI uri, InProcessEmulator emulator) throws Exception {
    assertThat(uri).isEqualTo(base).isEqualTo(URI.create("http://127.0.0.1:" + runtime.port()));
    assertThat(runtime.port()).isNotEqualTo(8080).isPositive();
    assertThat(runtime.state()).isEqualTo(LifecycleState.RUNNING);
    assertThat(emulator.runtime()).isSameAs(runtime);
    assertThat(get(uri, "/hello")).isEqualTo("hello");
    assertThat(Path.of(get(uri, "/data-dir"))).isEqualTo(emulator.dataDir()).isDirectory();
    assertThat(emulator.dataDir().getFileName().toString()).startsWith("quiesce-test-");
    assertThat(runtime.config().get(RuntimeKeys.SERVER_DRAIN_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theSameEmulatorServesEveryTestOfTheClass(QuiesceRuntime parameter) {
    assertThat(parameter).isSameAs(runtime);
  }

  @Test
  void aChildProcessIsEachTestsOwnAndSignalledLikeARealOne(EmulatorProcess process) throws Exception {
    assertThat(process.baseUri()).isNotEqualTo(base);
    assertThat(get(process.baseUri(), "/hello")).isEqualTo("hello");
    assertThat(Files.isDirectory(Path.of(get(process.baseUri(), "/data-dir")))).isTrue();

    process.signal(Signal.TERM);

    assertThat(process.exitCode()).isZero();
    assertThat(process.lines()).anyMatch(l -> l.contains("Received SIGTERM")).last().asString().contains("Exiting with code 0");
  }

  @Test
  void nothingIsLostAtSigtermInOneLine(EmulatorProcess process) throws Exception {
    RequestMix someSlow = (loop, random) -> loop < 2 ? ProbeRequest.get("/slow?ms=300").slow(300) : ProbeRequest.get("/hello");
    DrainProbe.to(process).loops(8).requests(someSlow).sigterm().assertNothingLost();
  }

  private static String get(URI base, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
