package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.test.EmulatorProcess;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands a user runs, as real processes: start in the background, status, stop, restart,
 * logs, and what each says and returns when things are not as expected.
 */
class CommandLineTest {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void startStatusStopRoundTrip(@TempDir Path dir) throws Exception {
    try (CommandLine cli = new CommandLine(dir)) {
      CommandLine.Result started = cli.run("start");
      assertThat(started.exit()).as(started.output()).isZero();
      assertThat(started.output()).contains("Started sample-emulator (PID").contains("ready at http://127.0.0.1:");
      long pid = cli.pid().orElseThrow();
      assertThat(ProcessHandle.of(pid)).as("the background instance outlives the start command").isPresent();

      CommandLine.Result status = cli.run("status", "--json");
      assertThat(status.exit()).as(status.output()).isZero();
      JsonObject json = lastJsonLine(status.output());
      assertThat(json.getBoolean("running")).isTrue();
      assertThat(json.getLong("pid")).isEqualTo(pid);
      assertThat(json.getString("state")).isEqualTo("running");
      assertThat(json.getString("health")).isEqualTo("healthy");
      assertThat(json.getString("version")).isNotBlank();
      assertThat(get(json.getString("url") + "/_quiesce/health/ready").statusCode()).isEqualTo(200);

      CommandLine.Result text = cli.run("status");
      assertThat(text.exit()).isZero();
      assertThat(text.output()).contains("sample-emulator is running").contains("PID:").contains(Long.toString(pid))
          .contains("uptime:").contains("state:         running").contains("health:        healthy");

      CommandLine.Result second = cli.run("start");
      assertThat(second.exit()).isEqualTo(1);
      assertThat(second.output()).contains("already running (PID " + pid);
      assertThat(cli.pid()).as("the refused start left the PID file alone").hasValue(pid);

      CommandLine.Result logs = cli.run("logs", "-n", "200");
      assertThat(logs.exit()).as(logs.output()).isZero();
      assertThat(logs.output()).contains("Ready. sample-emulator");
      CommandLine.Result fewer = cli.run("logs", "-n", "1");
      assertThat(fewer.output().lines().count()).as(fewer.output()).isEqualTo(1);

      CommandLine.Result stopped = cli.run("stop");
      assertThat(stopped.exit()).as(stopped.output()).isZero();
      assertThat(stopped.output()).contains("Stopped sample-emulator (PID " + pid + ")");
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(cli.pidFile()).doesNotExist();

      CommandLine.Result after = cli.run("status", "--json");
      assertThat(after.exit()).as("LSB: not running").isEqualTo(3);
      JsonObject last = lastJsonLine(after.output()).getJsonObject("last_shutdown");
      assertThat(last.getString("reason")).isEqualTo("SIGNAL");
      assertThat(last.getBoolean("forced")).isFalse();
      assertThat(cli.run("status").output()).contains("is not running").contains("last shutdown:").contains("SIGNAL, clean");

      CommandLine.Result again = cli.run("stop");
      assertThat(again.exit()).isEqualTo(3);
      assertThat(again.output()).contains("is not running (no PID file");
    }
  }

  @Test
  void stalePidFileIsReportedByStatusAndStopAndReplacedByStart(@TempDir Path dir) throws Exception {
    try (CommandLine cli = new CommandLine(dir)) {
      long gone = exitedPid();
      Files.writeString(cli.pidFile(), gone + "\n");

      CommandLine.Result status = cli.run("status");
      assertThat(status.exit()).as("LSB: dead but PID file exists").isEqualTo(1);
      assertThat(status.output()).contains("is not running").contains("stale PID file: PID " + gone);

      CommandLine.Result stop = cli.run("stop");
      assertThat(stop.exit()).isEqualTo(4);
      assertThat(stop.output()).contains("removed the stale PID file").contains("PID " + gone);
      assertThat(cli.pidFile()).doesNotExist();

      Files.writeString(cli.pidFile(), gone + "\n");
      CommandLine.Result start = cli.run("start");
      assertThat(start.exit()).as(start.output()).isZero();
      assertThat(start.output()).contains("stale PID file").contains("PID " + gone + " is not running").contains("Started");
      assertThat(cli.pid()).isPresent().get().isNotEqualTo(gone);
      assertThat(cli.run("stop").exit()).isZero();
    }
  }

  @Test
  void stopSendsSigkillWhenTheInstanceOutlivesTheTimeout(@TempDir Path dir) throws Exception {
    // A long shutdown budget and a slow request: SIGTERM starts a drain that lasts a minute.
    try (CommandLine cli = new CommandLine(dir, "server.shutdown_timeout=120s", "server.drain_timeout=100s")) {
      assertThat(cli.run("start").exit()).isZero();
      long pid = cli.pid().orElseThrow();
      String url = lastJsonLine(cli.run("status", "--json").output()).getString("url");
      CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
          HttpRequest.newBuilder(URI.create(url + "/_demo/slow?ms=100000")).build(), HttpResponse.BodyHandlers.ofString());
      await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(get(url + "/_quiesce/health").body()).getLong("in_flight_requests") == 1);

      CommandLine.Result stop = cli.run("stop", "--timeout", "1");

      assertThat(stop.exit()).as(stop.output()).isEqualTo(5);
      assertThat(stop.output()).contains("did not exit within 1 s of SIGTERM; killed it with SIGKILL");
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(cli.pidFile()).doesNotExist();
      assertThat(cli.run("status").exit()).isEqualTo(3);
      assertThat(slow).failsWithin(Duration.ofSeconds(20));
    }
  }

  @Test
  void restartReplacesTheInstance(@TempDir Path dir) throws Exception {
    try (CommandLine cli = new CommandLine(dir)) {
      assertThat(cli.run("start").exit()).isZero();
      long first = cli.pid().orElseThrow();

      CommandLine.Result restart = cli.run("restart");

      assertThat(restart.exit()).as(restart.output()).isZero();
      assertThat(restart.output()).contains("Stopped sample-emulator (PID " + first + ")").contains("Started sample-emulator");
      long second = cli.pid().orElseThrow();
      assertThat(second).isNotEqualTo(first);
      assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(cli.run("status").exit()).isZero();
      assertThat(cli.run("stop").exit()).isZero();
    }
  }

  @Test
  void logsFollowPrintsNewLinesAndSighupReloadsTheLogLevelAndHealthThresholds(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("emulator.yaml");
    Files.writeString(config, "log:\n  level: info\n");
    try (CommandLine cli = new CommandLine(dir)) {
      CommandLine.Result start = cli.run("--config", config.toString(), "start");
      assertThat(start.exit()).as(start.output()).isZero();
      long pid = cli.pid().orElseThrow();
      try (EmulatorProcess follow = cli.launch("logs", "-n", "5", "--follow")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> follow.printed("Ready. sample-emulator"));

        Files.writeString(config, "log:\n  level: debug\nserver:\n  drain_delay: 2s\nhealth:\n  error_threshold: 50\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);

        // The not-reloaded keys are logged last.
        await().atMost(Duration.ofSeconds(30)).until(() -> follow.printed("Not reloaded: server.drain_delay"));
        assertThat(follow.output()).contains("Received SIGHUP: reloading the configuration")
            .contains("Reloaded log.level: info -> debug")
            .contains("Reloaded health.error_threshold: 10 -> 50")
            .contains("Not reloaded: server.drain_delay changed from 0s to 2s, which takes effect on restart");

        Files.writeString(config, "log:\n  level: loud\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> follow.printed("Reload refused"));
        assertThat(follow.output()).contains("log.level = \"loud\"");
      }
      assertThat(cli.run("status").exit()).as("a reload never stops the instance").isZero();
      assertThat(cli.run("stop").exit()).isZero();
    }
  }

  @Test
  void startThatFailsReportsTheExitCodeAndTheLogsLastLines(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        CommandLine cli = new CommandLine(dir)) {
      CommandLine.Result start = cli.run("--set", "server.port=" + taken.getLocalPort(), "start");

      assertThat(start.exit()).isEqualTo(1);
      String failed = "Startup failed: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use";
      assertThat(start.output()).contains("exited with code 1 before it was ready").contains(failed);
      List<String> lines = start.output().lines().toList();
      int at = lines.stream().filter(l -> l.contains(failed)).findFirst().map(lines::indexOf).orElseThrow();
      assertThat(lines.get(at + 1)).as("no stack trace after the one line").doesNotContain("BindException")
          .doesNotStartWith("\tat ");
      assertThat(cli.pidFile()).doesNotExist();
    }
  }

  @Test
  void badOptionsAndValuesExitTwo(@TempDir Path dir) throws Exception {
    try (CommandLine cli = new CommandLine(dir)) {
      CommandLine.Result timeout = cli.run("stop", "--timeout", "soon");
      assertThat(timeout.exit()).isEqualTo(2);
      assertThat(timeout.output()).contains("--timeout").contains("soon");
      CommandLine.Result lines = cli.run("logs", "-n", "-3");
      assertThat(lines.exit()).as(lines.output()).isEqualTo(2);
      CommandLine.Result unknown = cli.run("status", "--verbose");
      assertThat(unknown.exit()).isEqualTo(2);
      assertThat(unknown.output()).contains("Unknown option: '--verbose'");
      CommandLine.Result frobnicate = cli.run("frobnicate");
      assertThat(frobnicate.exit()).isEqualTo(2);
      assertThat(frobnicate.output()).contains("unknown command 'frobnicate'; commands: run, start, stop, restart, status, logs");
      CommandLine.Result badConfig = cli.run("--set", "process.state_dir=", "status");
      assertThat(badConfig.exit()).isEqualTo(2);
      assertThat(badConfig.output()).contains("process.state_dir");
    }
  }

  @Test
  void helpDocumentsEveryCommandAndItsExitCodes(@TempDir Path dir) throws Exception {
    try (CommandLine cli = new CommandLine(dir)) {
      assertThat(cli.run("--help").output()).contains("run").contains("start").contains("stop").contains("restart")
          .contains("status").contains("logs").contains("--config").contains("--set").contains("--print-config");
      assertThat(cli.run("stop", "--help").output()).contains("--timeout").contains("5 killed");
      assertThat(cli.run("status", "--help").output()).contains("--json").contains("3 not running");
    }
  }

  private static long exitedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor(10, TimeUnit.SECONDS);
    return p.pid();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject lastJsonLine(String output) {
    return new JsonObject(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
        () -> new AssertionError("no JSON line in:\n" + output)));
  }
}
