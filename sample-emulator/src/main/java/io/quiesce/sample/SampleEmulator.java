package io.quiesce.sample;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.events.nats.NatsTransport;
import io.quiesce.events.nats.cli.EventsCommand;
import io.quiesce.events.nats.cli.RestartGroupCommand;
import io.quiesce.sample.pubsub.PubSubGrpc;
import io.quiesce.sample.pubsub.PubSubService;
import io.quiesce.sample.s3.S3Service;
import io.quiesce.sample.sqs.SqsService;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.VertxClock;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;

/**
 * An S3-, SQS- and Pub/Sub-compatible emulator built only on the runtime's public API: the proof
 * that embedding is one builder and one setup method. Managed services, started in this order and
 * stopped in reverse: {@code storage} (opens and loads the data directory), {@code s3},
 * {@code sqs} and, unless {@code server.http2} is off (gRPC needs HTTP/2), {@code pubsub}, all on
 * top of storage.
 *
 * <p>Routing: the runtime answers its own routes ({@code /_quiesce/*} and the exact root health
 * aliases) before any of ours, so nothing here repeats them; {@code /_demo*} is the demo's; an
 * HTTP/2 request of content type {@code application/grpc} is Pub/Sub; a
 * {@code POST} with {@code X-Amz-Target: AmazonSQS.*} is SQS; everything else is path-style S3, so
 * buckets named {@code metrics}, {@code lifecycle} or {@code healthcare-data} work like any other.
 * A bucket named {@code health} cannot be created while the root aliases are on: its
 * {@code GET /health} would be the runtime's.
 */
public final class SampleEmulator {

  /** Serve {@code /_demo/*}, the endpoints for watching drain by hand. */
  public static final ConfigKey<Boolean> DEMO_ENDPOINTS =
      ConfigKey.bool("emulator.demo_endpoints", true, "serve /_demo/* endpoints (e.g. /_demo/slow?ms=N) for observing drain");

  /** Where buckets, objects, queues and messages are kept; {@value #IN_MEMORY} keeps them in memory only. */
  public static final ConfigKey<String> DATA_DIR = ConfigKey.string("emulator.data_dir", "none",
      "directory that keeps buckets, objects, queues and messages across restarts; none keeps them in memory");

  /** The value of {@link #DATA_DIR} that means "no directory, in memory". */
  public static final String IN_MEMORY = "none";

  public static final int DEFAULT_PORT = 4566;

  private SampleEmulator() {}

  public static QuiesceApplication application() {
    return QuiesceApplication.builder("sample-emulator")
        .version(version())
        .keys(DEMO_ENDPOINTS, DATA_DIR, NatsTransport.URL)
        .defaultValue(RuntimeKeys.SERVER_PORT, DEFAULT_PORT)
        .setup(SampleEmulator::configure)
        .subcommand(new EventsCommand())
        .subcommand(new RestartGroupCommand())
        .build();
  }

  static void configure(QuiesceRuntime runtime) {
    NatsTransport.configured(runtime.config(), runtime.events()).ifPresent(runtime.events().hub()::addTransport);
    String dir = runtime.config().get(DATA_DIR);
    Storage storage = new Storage(runtime.vertx(), dir.equals(IN_MEMORY) ? Optional.empty() : Optional.of(Path.of(dir)));
    Set<String> reservedBuckets = runtime.config().get(RuntimeKeys.SERVER_HEALTH_ALIASES) ? Set.of("health") : Set.of();
    S3Service s3 = new S3Service(storage, runtime, reservedBuckets);
    SqsService sqs = new SqsService(storage, runtime, new VertxClock(runtime.vertx()));
    runtime.manage(storage); // first: s3 and sqs need it loaded, and stop before it
    runtime.manage(s3);
    runtime.manage(sqs);
    Optional<PubSubGrpc> pubsub = Optional.empty();
    if (runtime.config().get(RuntimeKeys.SERVER_HTTP2)) {
      PubSubService service = new PubSubService(storage, runtime, new VertxClock(runtime.vertx()));
      runtime.manage(service);
      pubsub = Optional.of(new PubSubGrpc(service, runtime));
    } else {
      LogManager.getLogger(SampleEmulator.class).info("Pub/Sub is off: its gRPC needs HTTP/2, and server.http2 is false");
    }
    if (runtime.config().get(DEMO_ENDPOINTS)) {
      new DemoRoutes(runtime).mount(runtime.router());
    }
    Optional<PubSubGrpc> grpc = pubsub;
    runtime.router().route().handler(ctx -> dispatch(ctx, s3, sqs, grpc));
  }

  private static void dispatch(RoutingContext ctx, S3Service s3, SqsService sqs, Optional<PubSubGrpc> pubsub) {
    if (pubsub.isPresent() && PubSubGrpc.accepts(ctx.request())) {
      pubsub.get().handle(ctx.request());
    } else if (ctx.request().path().startsWith("/_demo")) {
      ctx.next(); // a demo path without a demo route (or demo endpoints off): 404 from the router
    } else if (ctx.request().method() == HttpMethod.POST && SqsService.accepts(ctx.request().getHeader("X-Amz-Target"))) {
      sqs.handle(ctx);
    } else if (ctx.request().method() == HttpMethod.POST && SqsService.isQueryProtocol(ctx.request().getHeader("Content-Type"))) {
      SqsService.refuseQueryProtocol(ctx);
    } else {
      s3.handle(ctx);
    }
  }

  private static String version() {
    String v = SampleEmulator.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static void main(String[] args) {
    System.exit(application().run(args));
  }
}
