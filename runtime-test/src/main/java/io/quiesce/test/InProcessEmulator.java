package io.quiesce.test;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownReport;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.RuntimeKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An emulator running in this JVM (through {@link QuiesceApplication#start}: no signal handlers,
 * no {@code System.exit}), ready when returned. The fastest way to test routes, and the only one
 * that hands the test the {@link QuiesceRuntime} itself. {@link #close()} drains and stops it
 * gracefully, as SIGTERM would, and closes its Vert.x.
 */
public final class InProcessEmulator implements RunningEmulator {

  static final Duration START_LIMIT = Duration.ofSeconds(60);
  static final Duration STOP_LIMIT = Duration.ofSeconds(90);

  private final QuiesceRuntime runtime;
  private final DataDirectory dataDir;
  private ShutdownReport report;

  private InProcessEmulator(QuiesceRuntime runtime, DataDirectory dataDir) {
    this.runtime = runtime;
    this.dataDir = dataDir;
  }

  static InProcessEmulator start(QuiesceApplication app, Path configFile, Map<String, String> env, List<String> settings,
      DataDirectory dataDir) throws Exception {
    ConfigRequest request = new ConfigRequest(Optional.ofNullable(configFile), env, settings, Map.of());
    try {
      QuiesceRuntime runtime = app.start(request).toCompletionStage().toCompletableFuture()
          .get(START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      return new InProcessEmulator(runtime, dataDir);
    } catch (ExecutionException e) {
      // The configuration or startup error itself, as the caller would see it from start(...).
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The runtime: its Vert.x, router, state, configuration, health and shutdown. */
  public QuiesceRuntime runtime() {
    return runtime;
  }

  @Override
  public int port() {
    return runtime.port();
  }

  @Override
  public URI baseUri() {
    String scheme = runtime.config().get(RuntimeKeys.SERVER_TLS_ENABLED) ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + port());
  }

  @Override
  public Path dataDir() {
    return dataDir.path();
  }

  /** Drains and stops it (once) and returns the shutdown report; Vert.x is closed. */
  public ShutdownReport stop() throws Exception {
    if (report == null) {
      report = runtime.close().toCompletionStage().toCompletableFuture().get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    return report;
  }

  /** {@link #stop()}, then deletes the data directory if the kit made it. */
  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      dataDir.close();
    }
  }
}
