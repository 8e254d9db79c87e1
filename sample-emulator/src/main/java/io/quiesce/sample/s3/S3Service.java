package io.quiesce.sample.s3;

import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.sample.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The S3-compatible object storage: a managed service that needs {@link Storage} started before it,
 * with its own health procedure {@code s3} (down until started and after it stopped).
 */
public final class S3Service implements ManagedService {

  private final Storage storage;
  private final S3Api api;
  private volatile boolean running;

  /**
   * @param reservedBuckets bucket names refused with {@code InvalidBucketName} on top of S3's own
   *     rules: names whose path another route answers (the runtime's root health alias)
   */
  public S3Service(Storage storage, QuiesceRuntime runtime, Set<String> reservedBuckets) {
    this.storage = storage;
    this.api = new S3Api(storage, reservedBuckets);
    runtime.healthCheck("s3", p -> {
      JsonObject data = new JsonObject().put("running", running);
      if (running) {
        data.put("buckets", storage.objects().bucketCount());
      }
      p.complete(running ? Status.OK(data) : Status.KO(data));
    });
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public Future<Void> start() {
    if (!storage.started()) {
      return Future.failedFuture(new IllegalStateException("s3 needs the storage service started first"));
    }
    running = true;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    running = false;
    return Future.succeededFuture();
  }

  /** Answers one path-style S3 request. */
  public void handle(RoutingContext ctx) {
    api.handle(ctx);
  }
}
