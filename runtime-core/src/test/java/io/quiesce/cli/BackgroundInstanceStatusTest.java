package io.quiesce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.process.BackgroundInstance;
import io.quiesce.process.InstanceRecord;
import io.quiesce.process.StateFiles;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stop} and {@code status} against real processes: they act on the PID in the PID file only
 * if that process is the instance {@code start} launched, and they tell the truth about its health
 * and about how the last instance ended.
 */
@Timeout(120)
class BackgroundInstanceStatusTest {

  @TempDir
  Path dir;

  private Process stranger;
  private Cli cli;
  private FakeInstance instance;

  @AfterEach
  void cleanUp() throws Exception {
    if (stranger != null) {
      stranger.destroyForcibly();
    }
    for (String line : Files.exists(dir.resolve("quiesce.pid")) ? Files.readAllLines(dir.resolve("quiesce.pid")) : java.util.List.<String>of()) {
      if (!line.isBlank()) {
        ProcessHandle.of(Long.parseLong(line.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    if (instance != null) {
      instance.close();
    }
    if (cli != null) {
      cli.close();
    }
  }

  private Process sleeper() throws Exception {
    return new ProcessBuilder("sleep", "600").start();
  }

  /** Starts the fake instance the way {@code start} does; returns its PID. */
  private long start() throws Exception {
    instance = new FakeInstance();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new BackgroundInstance("fake", new StateFiles(dir, dir.resolve("quiesce.pid"), dir.resolve("quiesce.log")),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8))
        .start(instance.command(), Duration.ofSeconds(30));
    assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
    return Long.parseLong(Files.readString(dir.resolve("quiesce.pid")).strip());
  }

  @Test
  void stopNeverSignalsALiveProcessThatIsNotTheInstanceAndCallsThePidFileStale() throws Exception {
    cli = new Cli(dir);
    stranger = sleeper();
    Files.writeString(cli.pidFile(), stranger.pid() + "\n");

    Cli.Result status = cli.run("status");
    Cli.Result stop = cli.run("stop", "--timeout", "5");

    assertThat(status.exit()).as("LSB: dead but PID file exists").isEqualTo(1);
    assertThat(status.output()).contains("fake is not running").contains("stale PID file: PID " + stranger.pid())
        .contains("is another process now");
    assertThat(stop.exit()).as(stop.output()).isEqualTo(4);
    assertThat(stop.output()).contains("removed the stale PID file").contains("PID " + stranger.pid() + " is another process now, not signalled");
    assertThat(stranger.isAlive()).as("the unrelated process was not signalled").isTrue();
    assertThat(cli.pidFile()).doesNotExist();
  }

  @Test
  void aReusedPidIsToldApartByItsStartTime() throws Exception {
    cli = new Cli(dir);
    stranger = sleeper();
    // The record of an instance that crashed, whose PID the system then gave to the stranger.
    ProcessHandle.Info info = stranger.toHandle().info();
    new InstanceRecord(stranger.pid(), info.startInstant().orElseThrow().minusSeconds(3600), info.commandLine().orElse(null),
        "http://127.0.0.1:1", Instant.now().minusSeconds(3600)).write(cli.instanceFile());
    Files.writeString(cli.pidFile(), stranger.pid() + "\n");

    Cli.Result stop = cli.run("stop", "--timeout", "5");

    assertThat(stop.exit()).as(stop.output()).isEqualTo(4);
    assertThat(stop.output()).contains("not signalled").contains("it started at");
    assertThat(stranger.isAlive()).isTrue();
  }

  @Test
  void theInstanceStartedIsRecognisedEvenAfterItsProcessExecsAnotherProgram() throws Exception {
    long pid = start(); // sh -c '...; exec sleep 600': same process, another command line
    cli = new Cli(dir);
    JsonObject record = new JsonObject(Files.readString(cli.instanceFile()));
    assertThat(record.getLong("pid")).isEqualTo(pid);
    assertThat(record.getString("process_start")).isNotBlank();
    // Recorded as the launcher saw it: the shell's command line, or sleep's if the exec came first.
    assertThat(record.getString("command")).contains("sleep 600");

    assertThat(cli.run("status").exit()).isZero();
    Cli.Result stop = cli.run("stop", "--timeout", "10");

    assertThat(stop.exit()).as(stop.output()).isZero();
    assertThat(stop.output()).contains("Stopped fake (PID " + pid + ")");
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void statusShowsTheHealthModelsVerdictAndReasonsNotJustTheHttpStatus() throws Exception {
    start();
    cli = new Cli(dir);
    instance.health(200, new JsonObject().put("status", "running").put("version", "1.0").put("in_flight_requests", 0)
        .put("health", "degraded").put("reasons", new io.vertx.core.json.JsonArray()
            .add("error rate 0.5 over the last 60 s is above 0.1")).encode());

    Cli.Result text = cli.run("status");
    Cli.Result json = cli.run("status", "--json");

    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("state:         running")
        .contains("health:        degraded: error rate 0.5 over the last 60 s is above 0.1").doesNotContain("health:        up");
    JsonObject status = new JsonObject(json.out().strip());
    assertThat(status.getString("health")).isEqualTo("degraded");
    assertThat(status.getJsonArray("health_reasons")).containsExactly("error rate 0.5 over the last 60 s is above 0.1");

    instance.health(200, new JsonObject().put("status", "running").put("health", "healthy")
        .put("reasons", new io.vertx.core.json.JsonArray()).encode());
    assertThat(cli.run("status").out()).contains("health:        healthy\n");
  }

  @Test
  void afterKill9StatusSaysTheLastInstanceDidNotShutDownInsteadOfShowingAnOlderShutdownAsTheLatest() throws Exception {
    cli = new Cli(dir);
    Files.createDirectories(dir);
    // An earlier instance shut down cleanly and left its report.
    Files.writeString(cli.lastShutdownFile(), new JsonObject().put("pid", 1).put("reason", "SIGNAL").put("forced", false)
        .put("total_ms", 12).put("started_at", Instant.now().minusSeconds(60).toString()).encode());
    long pid = start();

    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    Cli.Result status = cli.run("status");
    Cli.Result json = cli.run("status", "--json");

    assertThat(status.exit()).isEqualTo(1);
    assertThat(status.out()).contains("last instance: PID " + pid)
        .contains("did not shut down: it crashed or was killed (no shutdown report)")
        .contains("before that:   ").doesNotContain("last shutdown:");
    JsonObject lastInstance = new JsonObject(json.out().strip()).getJsonObject("last_instance");
    assertThat(lastInstance.getLong("pid")).isEqualTo(pid);
    assertThat(lastInstance.getBoolean("shut_down")).isFalse();
  }

  @Test
  void afterACleanShutdownStatusShowsItsReportAsTheLast() throws Exception {
    cli = new Cli(dir);
    long pid = start();
    assertThat(cli.run("stop", "--timeout", "10").exit()).isZero();
    // What the instance itself writes on its way out (ShutdownRecord), with its PID.
    Files.writeString(cli.lastShutdownFile(), new JsonObject().put("pid", pid).put("reason", "SIGNAL").put("forced", false)
        .put("total_ms", 12).put("started_at", Instant.now().toString()).encode());

    Cli.Result status = cli.run("status");

    assertThat(status.exit()).isEqualTo(3);
    assertThat(status.out()).contains("last shutdown:").contains("SIGNAL, clean in 12 ms (PID " + pid + ")")
        .doesNotContain("last instance");
  }
}
