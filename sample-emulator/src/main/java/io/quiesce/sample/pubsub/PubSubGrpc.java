package io.quiesce.sample.pubsub;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.DeleteSubscriptionRequest;
import com.google.pubsub.v1.DeleteTopicRequest;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.GetTopicRequest;
import com.google.pubsub.v1.ListSubscriptionsRequest;
import com.google.pubsub.v1.ListSubscriptionsResponse;
import com.google.pubsub.v1.ListTopicsRequest;
import com.google.pubsub.v1.ListTopicsResponse;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownPhase;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pub/Sub's gRPC methods ({@code google.pubsub.v1.Publisher} and {@code Subscriber}) on the
 * runtime's own HTTP/2 server: Vert.x's {@link GrpcServer} is a handler of the runtime's requests,
 * so every call passes the runtime's admission, is counted in flight and takes part in the drain.
 * A call to any other method is answered {@code UNIMPLEMENTED}.
 */
public final class PubSubGrpc {

  private static final Logger LOG = LogManager.getLogger(PubSubGrpc.class);
  private static final ServiceName PUBLISHER = ServiceName.create("google.pubsub.v1.Publisher");
  private static final ServiceName SUBSCRIBER = ServiceName.create("google.pubsub.v1.Subscriber");
  /** Most messages in one Pull answer, as in the real service. */
  static final int MAX_PULL = 1000;

  private final PubSubService service;
  private final QuiesceRuntime runtime;
  private volatile GrpcServer grpc;
  private final OpenStreams streams = new OpenStreams();

  public PubSubGrpc(PubSubService service, QuiesceRuntime runtime) {
    this.service = service;
    this.runtime = runtime;
    runtime.onShutdown(ShutdownPhase.DRAIN_REQUESTS, "pubsub streams", streams);
  }

  /**
   * The gRPC server with every method, made at the first call: it loads Pub/Sub's protobuf classes,
   * which an emulator used only for S3 and SQS never needs (start-up time).
   */
  private GrpcServer server() {
    GrpcServer g = grpc;
    if (g == null) {
      synchronized (this) {
        if (grpc == null) {
          grpc = methods();
        }
        g = grpc;
      }
    }
    return g;
  }

  private GrpcServer methods() {
    GrpcServerOptions options = new GrpcServerOptions();
    options.getEnabledProtocols().forEach(options::removeEnabledProtocol);
    GrpcServer server = GrpcServer.server(runtime.vertx(), options.addEnabledProtocol(GrpcProtocol.HTTP_2));
    unary(server, PUBLISHER, "CreateTopic", Topic.getDefaultInstance(), service::createTopic);
    unary(server, PUBLISHER, "GetTopic", GetTopicRequest.getDefaultInstance(), r -> Future.succeededFuture(service.getTopic(r.getTopic())));
    unary(server, PUBLISHER, "ListTopics", ListTopicsRequest.getDefaultInstance(),
        r -> Future.<ListTopicsResponse>succeededFuture(service.listTopics(r.getProject(), r.getPageSize(), r.getPageToken())));
    unary(server, PUBLISHER, "DeleteTopic", DeleteTopicRequest.getDefaultInstance(), r -> empty(service.deleteTopic(r.getTopic())));
    unary(server, PUBLISHER, "Publish", PublishRequest.getDefaultInstance(),
        r -> service.publish(r.getTopic(), r.getMessagesList()).map(ids -> PublishResponse.newBuilder().addAllMessageIds(ids).build()));
    unary(server, SUBSCRIBER, "CreateSubscription", Subscription.getDefaultInstance(), service::createSubscription);
    unary(server, SUBSCRIBER, "GetSubscription", GetSubscriptionRequest.getDefaultInstance(),
        r -> Future.succeededFuture(service.getSubscription(r.getSubscription())));
    unary(server, SUBSCRIBER, "ListSubscriptions", ListSubscriptionsRequest.getDefaultInstance(),
        r -> Future.<ListSubscriptionsResponse>succeededFuture(service.listSubscriptions(r.getProject(), r.getPageSize(), r.getPageToken())));
    unary(server, SUBSCRIBER, "DeleteSubscription", DeleteSubscriptionRequest.getDefaultInstance(),
        r -> empty(service.deleteSubscription(r.getSubscription())));
    unary(server, SUBSCRIBER, "Pull", PullRequest.getDefaultInstance(), this::pull);
    unary(server, SUBSCRIBER, "Acknowledge", AcknowledgeRequest.getDefaultInstance(),
        r -> empty(service.acknowledge(service.subscription(r.getSubscription()), ackIds(r.getAckIdsList()))));
    unary(server, SUBSCRIBER, "ModifyAckDeadline", ModifyAckDeadlineRequest.getDefaultInstance(), r -> {
      service.modifyAckDeadline(service.subscription(r.getSubscription()), ackIds(r.getAckIdsList()), r.getAckDeadlineSeconds());
      return Future.succeededFuture(Empty.getDefaultInstance());
    });
    server.callHandler(PubSubGrpc.<StreamingPullRequest, StreamingPullResponse>method(SUBSCRIBER, "StreamingPull", StreamingPullRequest.getDefaultInstance()),
        call -> new PullStream(service, runtime, streams, call).start());
    server.callHandler(call -> {
      LOG.debug("gRPC {} is not implemented", call.fullMethodName());
      call.response().status(GrpcStatus.UNIMPLEMENTED)
          .statusMessage("Method " + call.fullMethodName() + " is not implemented by this emulator").end();
    });
    return server;
  }

  /** True for a gRPC call: HTTP/2 with a {@code application/grpc} content type. */
  public static boolean accepts(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    return request.version() == HttpVersion.HTTP_2 && type != null && type.startsWith("application/grpc");
  }

  /** Serves one call. */
  public void handle(HttpServerRequest request) {
    server().handle(request);
  }

  private Future<PullResponse> pull(PullRequest r) {
    PubSubService.SubscriptionState s = service.subscription(r.getSubscription());
    if (r.getMaxMessages() <= 0) {
      throw PubSubError.invalid("Invalid max_messages " + r.getMaxMessages() + ": expected at least 1");
    }
    return Future.succeededFuture(PullResponse.newBuilder().addAllReceivedMessages(
        s.backlog.lease(Math.min(r.getMaxMessages(), MAX_PULL), java.time.Duration.ofSeconds(s.ackDeadlineSeconds))).build());
  }

  static List<String> ackIds(List<String> ackIds) {
    if (ackIds.isEmpty()) {
      throw PubSubError.invalid("No ack ids specified.");
    }
    return ackIds;
  }

  private static Future<Empty> empty(Future<Void> done) {
    return done.map(Empty.getDefaultInstance());
  }

  static <Req extends Message, Resp extends Message> ServiceMethod<Req, Resp> method(ServiceName service, String name, Req prototype) {
    return ServiceMethod.server(service, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
  }

  private <Req extends Message, Resp extends Message> void unary(GrpcServer grpc, ServiceName svc, String name, Req prototype,
      Function<Req, Future<Resp>> body) {
    ServiceMethod<Req, Resp> m = method(svc, name, prototype);
    grpc.callHandler(m, call -> call.last()
        .compose(req -> {
          try {
            return body.apply(req);
          } catch (RuntimeException e) {
            return Future.failedFuture(e);
          }
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            call.response().end(ar.result());
          } else {
            fail(call.response(), ar.cause(), m.fullMethodName());
          }
        }));
  }

  /** Ends a call with the status of {@code cause}: a {@link PubSubError}'s own, else INTERNAL (logged). */
  static void fail(GrpcServerResponse<?, ?> response, Throwable cause, String method) {
    if (cause instanceof PubSubError e) {
      response.status(e.status()).statusMessage(e.getMessage()).end();
    } else {
      LOG.error("Pub/Sub {} failed", method, cause);
      response.status(GrpcStatus.INTERNAL).statusMessage("internal error: " + cause).end();
    }
  }
}
