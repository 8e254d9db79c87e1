package io.quiesce.http.testkit;

import io.quiesce.api.EmulatorSetup;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.config.ConfigRequest;
import io.quiesce.http.RuntimeInstance;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A runtime started in this JVM on a free port of 127.0.0.1, the way an emulator's tests would
 * start it, with two routes of its own: {@code GET /ok} answers at once, {@code /hold} only when
 * the test releases it ({@link #held()}). {@link #close()} it in {@code @AfterEach}: held requests are
 * released, the runtime shut down and its Vert.x closed.
 */
public final class TestEmulator {

  public static final String NAME = "test-emulator";
  public static final String VERSION = "9.9.9";

  private final RuntimeInstance runtime;
  private final HeldRequests held;

  private TestEmulator(RuntimeInstance runtime, HeldRequests held) {
    this.runtime = runtime;
    this.held = held;
  }

  /** Starts with the given {@code key=value} settings (on top of port 0 and log level warn). */
  public static TestEmulator start(String... settings) throws Exception {
    return start(rt -> {}, settings);
  }

  /** Starts with extra emulator setup (routes, services, health procedures) and settings. */
  public static TestEmulator start(EmulatorSetup extra, String... settings) throws Exception {
    HeldRequests held = new HeldRequests();
    QuiesceApplication app = application(rt -> {
      rt.router().get("/ok").handler(ctx -> ctx.response().end("ok"));
      rt.router().route("/hold").handler(held);
      extra.configure(rt);
    });
    RuntimeInstance runtime = (RuntimeInstance) await(app.start(request(settings)));
    return new TestEmulator(runtime, held);
  }

  /** The application as a test emulator builds it. */
  public static QuiesceApplication application(EmulatorSetup setup) {
    return QuiesceApplication.builder(NAME).version(VERSION).setup(setup).build();
  }

  /** Configuration from {@code key=value} settings, after port 0 and log level warn. */
  public static ConfigRequest request(String... settings) {
    List<String> overrides = new ArrayList<>(List.of("server.port=0", "log.level=warn"));
    overrides.addAll(List.of(settings));
    return new ConfigRequest(Optional.empty(), Map.of(), overrides, Map.of());
  }

  /** Waits for a future from a test thread, at most 30 s, unwrapping its failure. */
  public static <T> T await(Future<T> future) throws Exception {
    return await(future, Duration.ofSeconds(30));
  }

  public static <T> T await(Future<T> future, Duration limit) throws Exception {
    try {
      return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within " + limit.toMillis() + " ms", e);
    }
  }

  public RuntimeInstance runtime() {
    return runtime;
  }

  public int port() {
    return runtime.port();
  }

  public HeldRequests held() {
    return held;
  }

  /** Starts a manual shutdown; returns at once with the report's future. */
  public Future<ShutdownReport> shutdown() {
    return runtime.shutdown(ShutdownReason.MANUAL);
  }

  /** Releases every held request, shuts down and closes Vert.x; waits at most 30 s. */
  public void close() throws Exception {
    held.releaseAll();
    await(runtime.close());
  }
}
