package io.quiesce.sample;

import io.quiesce.api.ShutdownReport;
import io.quiesce.config.ConfigRequest;
import io.quiesce.http.RuntimeInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The sample emulator started in this JVM on a free port, with AWS SDK clients for it. */
final class InProcessEmulator implements AutoCloseable {

  final RuntimeInstance runtime;
  private ShutdownReport report;

  private InProcessEmulator(RuntimeInstance runtime) {
    this.runtime = runtime;
  }

  /** Starts it with {@code --set} style {@code key=value} settings (server.port=0 is implied). */
  static InProcessEmulator start(String... settings) throws Exception {
    List<String> overrides = new ArrayList<>(List.of("server.port=0", "log.level=warn"));
    overrides.addAll(List.of(settings));
    RuntimeInstance runtime = (RuntimeInstance) SampleEmulator.application()
        .start(new ConfigRequest(Optional.empty(), Map.of(), overrides, Map.of()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new InProcessEmulator(runtime);
  }

  int port() {
    return runtime.port();
  }

  /** Graceful shutdown; the report of it. */
  ShutdownReport stop() throws Exception {
    if (report == null) {
      report = runtime.close().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
    return report;
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
