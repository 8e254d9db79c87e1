package io.quiesce.sample.sqs;

import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;

/**
 * The SQS-compatible queues: a managed service that restores its queues and messages from
 * {@link Storage} (started before it) when it starts, with its own health procedure {@code sqs}.
 */
public final class SqsService implements ManagedService {

  private final Storage storage;
  private final SqsApi api;
  private volatile boolean running;

  public SqsService(Storage storage, QuiesceRuntime runtime, RuntimeClock clock) {
    this.storage = storage;
    this.api = new SqsApi(storage, runtime, clock);
    runtime.healthCheck("sqs", p -> {
      JsonObject data = new JsonObject().put("running", running);
      if (running) {
        data.put("queues", api.queueCount());
      }
      p.complete(running ? Status.OK(data) : Status.KO(data));
    });
  }

  /** True for requests of the AWS JSON protocol addressed to SQS. */
  public static boolean accepts(String xAmzTarget) {
    return xAmzTarget != null && xAmzTarget.startsWith(SqsApi.TARGET_PREFIX);
  }

  /**
   * True for requests of SQS's older query protocol (form-encoded {@code Action=...}), which
   * clients released before the JSON protocol (late 2023) still speak. S3 never receives
   * form-encoded POSTs from its SDKs.
   */
  public static boolean isQueryProtocol(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  /**
   * Answers a query-protocol request with an error that client understands and that says what to
   * do, rather than an S3 error it cannot parse.
   */
  public static void refuseQueryProtocol(RoutingContext ctx) {
    String body = "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>"
        + "<Message>This emulator speaks the SQS JSON protocol (X-Amz-Target: AmazonSQS.*), not the older query protocol. "
        + "Use a client released since late 2023 (a current AWS SDK, AWS CLI or boto3) that speaks the JSON protocol.</Message>"
        + "</Error><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ErrorResponse>";
    ctx.response().setStatusCode(400).putHeader("Content-Type", "text/xml").end(body);
  }

  @Override
  public String name() {
    return "sqs";
  }

  @Override
  public Future<Void> start() {
    if (!storage.started()) {
      return Future.failedFuture(new IllegalStateException("sqs needs the storage service started first"));
    }
    api.restore();
    running = true;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    running = false;
    return Future.succeededFuture();
  }

  /** Answers one SQS request ({@code X-Amz-Target: AmazonSQS.*}). */
  public void handle(RoutingContext ctx) {
    api.handle(ctx);
  }
}
