package io.quiesce.sample;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.config.ConfigRequest;
import io.quiesce.sample.s3.S3Service;
import io.quiesce.sample.sqs.SqsService;
import io.quiesce.sample.storage.FileSync;
import io.quiesce.sample.storage.MemoryBudget;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.VertxClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The S3 and SQS services assembled as {@link SampleEmulator} does, through the public API, but on a
 * {@link Storage} whose fsync and memory budget the test chooses: the seams that the packaged
 * emulator fixes to the real fsync and a quarter of the heap.
 */
final class ConfiguredEmulator implements AutoCloseable {

  final QuiesceRuntime runtime;

  private ConfiguredEmulator(QuiesceRuntime runtime) {
    this.runtime = runtime;
  }

  static ConfiguredEmulator start(Optional<Path> dataDir, FileSync sync, MemoryBudget budget) throws Exception {
    QuiesceApplication app = QuiesceApplication.builder("configured-emulator").setup(runtime -> {
      Storage storage = new Storage(runtime.vertx(), dataDir, sync, budget);
      S3Service s3 = new S3Service(storage, runtime, java.util.Set.of());
      SqsService sqs = new SqsService(storage, runtime, new VertxClock(runtime.vertx()));
      runtime.manage(storage);
      runtime.manage(s3);
      runtime.manage(sqs);
      runtime.router().route().handler(ctx -> {
        if (ctx.request().path().startsWith("/health")) {
          ctx.next();
        } else if (SqsService.accepts(ctx.request().getHeader("X-Amz-Target"))) {
          sqs.handle(ctx);
        } else {
          s3.handle(ctx);
        }
      });
    }).build();
    QuiesceRuntime runtime = app.start(new ConfigRequest(Optional.empty(), Map.of(), List.of("server.port=0", "log.level=warn"), Map.of()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ConfiguredEmulator(runtime);
  }

  int port() {
    return runtime.port();
  }

  @Override
  public void close() throws Exception {
    runtime.close().toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }
}
