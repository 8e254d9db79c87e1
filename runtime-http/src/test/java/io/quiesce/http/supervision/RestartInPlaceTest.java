package io.quiesce.http.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ManagedService;
import io.quiesce.http.testkit.HeldRequests;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.quiesce.lifecycle.ServiceStatus;
import io.quiesce.supervision.RestartMode;
import io.quiesce.supervision.RestartPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A failing service is stopped and started again inside the running process; everything else keeps serving. */
@Timeout(90)
class RestartInPlaceTest {

  @TempDir
  Path dir;

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  /** Fails its check while {@link #broken}; its stop waits for the test while {@link #holdStop} is set. */
  static final class Flaky implements ManagedService {
    final AtomicBoolean broken = new AtomicBoolean();
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final AtomicReference<Promise<Void>> holdStop = new AtomicReference<>();

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public Future<Void> start() {
      starts.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
      stops.incrementAndGet();
      Promise<Void> held = holdStop.getAndSet(null);
      return held == null ? Future.succeededFuture() : held.future();
    }

    @Override
    public Future<Void> check() {
      return broken.get() ? Future.failedFuture("worker thread died") : Future.succeededFuture();
    }
  }

  @Test
  void aServiceIsRestartedInPlaceWhileOtherRoutesKeepServingAndTheRestartHookRuns() throws Exception {
    Path envFile = dir.resolve("restart-env.txt");
    Path hook = Files.writeString(dir.resolve("on-restart.sh"), "#!/bin/sh\nenv > '" + envFile + "'\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    Flaky flaky = new Flaky();
    emulator = TestEmulator.start(rt -> {
      rt.manage(flaky, new RestartPolicy(RestartMode.ON_FAILURE, 2, Duration.ofMillis(50),
          Duration.ZERO, Duration.ZERO, 3, Duration.ofMinutes(1)), false);
    }, "hooks.on_restart=" + hook);
    int port = emulator.port();
    try (RawConnection longRequest = RawConnection.open(port)) {
      longRequest.sendGet("/hold");
      HeldRequests.Held held = emulator.held().next();

      Promise<Void> stop = Promise.promise();
      flaky.holdStop.set(stop);
      flaky.broken.set(true);
      await().atMost(Duration.ofSeconds(20)).until(() -> flaky.stops.get() == 1);
      assertThat(emulator.runtime().lifecycle().services().statuses().get("flaky")).isEqualTo(ServiceStatus.STOPPING);

      for (int i = 0; i < 20; i++) {
        assertThat(RawConnection.get(port, "/ok").status()).as("request %d during the restart", i).isEqualTo(200);
      }
      RawResponse during = RawConnection.get(port, "/_quiesce/health");
      assertThat(during.json().getString("health")).as("flaky is not critical").isEqualTo("degraded");
      assertThat(during.status()).as("degraded still serves").isEqualTo(200);
      assertThat(during.json().getJsonObject("services").getString("flaky")).isEqualTo("stopping");

      flaky.broken.set(false);
      stop.complete();
      await().atMost(Duration.ofSeconds(20)).until(() -> flaky.starts.get() == 2
          && emulator.runtime().lifecycle().services().statuses().get("flaky") == ServiceStatus.RUNNING);
      held.release("held through the restart");

      RawResponse answer = longRequest.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("held through the restart");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> RawConnection.get(port, "/_quiesce/health").json().getString("health").equals("healthy"));
    assertThat(RawConnection.get(port, "/_quiesce/health").json().getJsonObject("components").getJsonObject("flaky")
        .getInteger("restarts")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(envFile) && Files.readString(envFile).contains("QUIESCE_RESULT"));
    assertThat(Files.readAllLines(envFile)).contains("QUIESCE_EVENT=on_restart", "QUIESCE_SERVICE=flaky",
        "QUIESCE_APP=" + TestEmulator.NAME, "QUIESCE_RESTART_COUNT=1", "QUIESCE_RESULT=ok", "QUIESCE_REASON=worker thread died");
  }
}
