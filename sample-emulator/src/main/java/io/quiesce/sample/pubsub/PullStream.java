package io.quiesce.sample.pubsub;

import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import io.quiesce.api.QuiesceRuntime;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One StreamingPull call: the first request names the subscription and the stream's ack deadline;
 * later requests carry acknowledgements and deadline changes; messages are written as they become
 * ready, a batch at a time, as long as the stream takes them (its write queue is not full).
 *
 * <p>At drain (the runtime's {@code onDrain}, or at once for a stream opened after drain began)
 * the stream ends with {@code UNAVAILABLE}, after the messages already written: the client library
 * retries it, against the restarted emulator. Messages leased on it stay leased until their
 * deadline, so the client may still acknowledge them. Everything but {@link #schedule} runs on the
 * call's event loop.
 */
final class PullStream {

  /** Most messages in one response. */
  private static final int BATCH = 100;

  private final PubSubService service;
  private final QuiesceRuntime runtime;
  private final OpenStreams streams;
  private final GrpcServerRequest<StreamingPullRequest, StreamingPullResponse> call;
  private final GrpcServerResponse<StreamingPullRequest, StreamingPullResponse> response;
  private final Context context;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private PubSubService.SubscriptionState subscription;
  private Duration deadline;
  private AutoCloseable readyListener;
  private io.quiesce.api.Subscription drain;
  private boolean ended;
  private boolean byDrain;

  PullStream(PubSubService service, QuiesceRuntime runtime, OpenStreams streams,
      GrpcServerRequest<StreamingPullRequest, StreamingPullResponse> call) {
    this.service = service;
    this.runtime = runtime;
    this.streams = streams;
    this.call = call;
    this.response = call.response();
    this.context = Vertx.currentContext();
  }

  void start() {
    call.handler(this::onRequest);
    call.endHandler(v -> finish(GrpcStatus.OK, null));
    call.exceptionHandler(e -> release());
    call.errorHandler(e -> release()); // the client cancelled
    response.exceptionHandler(e -> release());
  }

  private void onRequest(StreamingPullRequest r) {
    if (ended) {
      return;
    }
    try {
      if (subscription == null) {
        open(r);
      }
      if (r.getModifyDeadlineAckIdsCount() != r.getModifyDeadlineSecondsCount()) {
        throw PubSubError.invalid("modify_deadline_ack_ids has " + r.getModifyDeadlineAckIdsCount()
            + " entries and modify_deadline_seconds " + r.getModifyDeadlineSecondsCount() + ": they must match");
      }
      for (int i = 0; i < r.getModifyDeadlineAckIdsCount(); i++) {
        service.modifyAckDeadline(subscription, List.of(r.getModifyDeadlineAckIds(i)), r.getModifyDeadlineSeconds(i));
      }
      if (r.getAckIdsCount() > 0) {
        service.acknowledge(subscription, r.getAckIdsList())
            .onFailure(e -> context.runOnContext(v -> finish(e)));
      }
    } catch (RuntimeException e) {
      finish(e);
    }
  }

  private void open(StreamingPullRequest r) {
    subscription = service.subscription(r.getSubscription());
    int seconds = r.getStreamAckDeadlineSeconds();
    if (seconds < PubSubService.DEFAULT_ACK_DEADLINE_SECONDS || seconds > PubSubService.MAX_ACK_DEADLINE_SECONDS) {
      throw PubSubError.invalid("Invalid stream_ack_deadline_seconds " + seconds + ": expected "
          + PubSubService.DEFAULT_ACK_DEADLINE_SECONDS + " to " + PubSubService.MAX_ACK_DEADLINE_SECONDS);
    }
    deadline = Duration.ofSeconds(seconds);
    readyListener = subscription.backlog.onReady(this::schedule);
    streams.add(this);
    drain = runtime.onDrain(v -> context.runOnContext(x -> {
      if (!ended) {
        byDrain = true;
        finish(GrpcStatus.UNAVAILABLE, "The emulator is shutting down; retry");
      }
    }));
    response.writeHead();
    deliver();
  }

  /** From any thread: messages may be ready; deliver them on the stream's own event loop. */
  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        scheduled.set(false);
        deliver();
      });
    }
  }

  // One batch per turn, then the event loop's other tasks (and streams) get theirs: several streams
  // of one subscription share what is ready instead of the first one taking it all.
  private void deliver() {
    if (ended) {
      return;
    }
    if (subscription.backlog.deleted()) {
      finish(PubSubError.notFound(subscription.name.id()));
      return;
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> deliver());
      return;
    }
    List<ReceivedMessage> batch = subscription.backlog.lease(BATCH, deadline);
    if (!batch.isEmpty()) {
      response.write(StreamingPullResponse.newBuilder().addAllReceivedMessages(batch).build());
    }
    if (batch.size() == BATCH) {
      schedule();
    }
  }

  private void finish(Throwable cause) {
    if (!ended) {
      release();
      PubSubGrpc.fail(response, cause, "StreamingPull");
    }
  }

  private void finish(GrpcStatus status, String message) {
    if (ended) {
      return;
    }
    release();
    if (message != null) {
      response.statusMessage(message);
    }
    response.status(status).end();
  }

  private void release() {
    ended = true;
    streams.remove(this, byDrain);
    if (drain != null) {
      drain.close();
    }
    if (readyListener != null) {
      try {
        readyListener.close();
      } catch (Exception ignored) {
        // removing a listener cannot fail
      }
    }
  }
}
