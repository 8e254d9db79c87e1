package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.QuiesceTest;
import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.DrainReport;
import io.quiesce.test.probe.ProbeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The emulator through the test kit: in this JVM for its routes (one emulator for the class, on a
 * free port, with a fresh data directory), and as a real child process for what happens at SIGTERM.
 */
@QuiesceTest(value = EmulatorApp.class, dataDirKey = "emulator.data_dir")
class EmulatorAppTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void greetsByName(URI base) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/hello/world")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    assertTrue(response.body().contains("\"greeting\":\"hello, world\""), response.body());
  }

  @Test
  void losesNoRequestAtSigtermAndKeepsTheCount(EmulatorProcess process) throws Exception {
    DrainReport report = DrainProbe.to(process).requests(ProbeRequest.get("/hello/probe")).sigterm().assertNothingLost();

    assertEquals(0, report.exitCode(), process.output());
    assertTrue(Files.exists(process.dataDir().resolve(Greeter.COUNT_FILE)), "the count was saved at stop");
  }
}
