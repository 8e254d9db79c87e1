package io.quiesce.sample.sqs;

import io.quiesce.api.QuiesceRuntime;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One ReceiveMessage that may wait: it answers as soon as messages are visible, when its wait
 * time is over, when the queue is deleted, or at once when drain begins (an empty answer is
 * valid), so a 20 s wait never holds up shutdown. Messages past their redrive limit are moved to
 * the dead-letter queue before it answers. All its steps run on the request's context.
 */
final class LongPoll {

  /**
   * What one ReceiveMessage asked for: how many, hidden how long, waiting until when, with which
   * attributes, and its ReceiveRequestAttemptId (null without one; only FIFO queues use it).
   */
  record Ask(int max, Duration hide, long deadlineNanos, Set<String> systemNames, List<String> attributeNames, String attemptId) {}

  private final HttpServerRequest req;
  private final Queue queue;
  private final Ask ask;
  private final QuiesceRuntime runtime;
  private final RuntimeClock clock;
  private final DeadLetters deadLetters;
  private final Context context;
  private AutoCloseable onMessages;
  private AutoCloseable onDrain;
  private RuntimeClock.Cancellable timer;
  private boolean done;

  LongPoll(HttpServerRequest req, Queue queue, Ask ask, QuiesceRuntime runtime, RuntimeClock clock, DeadLetters deadLetters) {
    this.req = req;
    this.queue = queue;
    this.ask = ask;
    this.runtime = runtime;
    this.clock = clock;
    this.deadLetters = deadLetters;
    this.context = runtime.vertx().getOrCreateContext();
  }

  void attempt() {
    if (done) {
      return;
    }
    if (attemptId() != null) {
      List<Queue.Delivery> before = queue.retried(attemptId());
      if (before != null) {
        finish(before); // a retry of a receive whose messages are still in flight: the same messages, as SQS answers
        return;
      }
    }
    Queue.Received got = queue.receive(ask.max(), ask.hide(), System.currentTimeMillis(), deadLetters.maxReceiveCount(queue));
    if (!got.dead().isEmpty()) {
      // Answer (or look again) once they are in the dead-letter queue, so what the client sees next is settled.
      deadLetters.move(queue, got.dead()).onComplete(v -> context.runOnContext(x -> {
        if (got.deliveries().isEmpty()) {
          attempt();
        } else {
          finish(got.deliveries());
        }
      }));
      return;
    }
    long left = ask.deadlineNanos() - clock.nanoTime();
    if (!got.deliveries().isEmpty() || left <= 0 || runtime.state().isShuttingDown() || queue.deleted()
        || req.response().closed()) {
      finish(got.deliveries());
      return;
    }
    if (onMessages == null) {
      Runnable wake = () -> context.runOnContext(v -> attempt());
      onMessages = queue.onMessages(wake);
      onDrain = runtime.onDrain(v -> wake.run());
      req.response().closeHandler(v -> finish(List.of()));
    }
    // Wake at the deadline, or earlier when a received or delayed message becomes visible.
    Duration next = queue.untilNextVisible();
    Duration until = Duration.ofNanos(left);
    if (next != null && next.compareTo(until) < 0) {
      until = next;
    }
    cancelTimer();
    timer = clock.schedule(until.plusMillis(1), () -> context.runOnContext(v -> attempt()));
  }

  private String attemptId() {
    return queue.fifo() ? ask.attemptId() : null;
  }

  private void finish(List<Queue.Delivery> got) {
    if (done) {
      return;
    }
    done = true;
    if (attemptId() != null && !got.isEmpty()) {
      queue.remember(attemptId(), got);
    }
    cancelTimer();
    close(onMessages);
    close(onDrain);
    if (req.response().ended() || req.response().closed()) {
      return; // the client left; what it did not get becomes visible after its timeout, as in SQS
    }
    JsonArray messages = new JsonArray();
    for (Queue.Delivery d : got) {
      messages.add(json(d));
    }
    JsonObject out = messages.isEmpty() ? new JsonObject() : new JsonObject().put("Messages", messages);
    req.response().putHeader("Content-Type", SqsApi.JSON_1_0).end(out.encode());
  }

  private JsonObject json(Queue.Delivery d) {
    JsonObject m = new JsonObject().put("MessageId", d.message().id()).put("ReceiptHandle", d.receiptHandle())
        .put("MD5OfBody", d.message().md5()).put("Body", d.message().body());
    MessageOptions o = d.options();
    JsonObject attrs = new JsonObject();
    putIfWanted(attrs, "SentTimestamp", Long.toString(d.message().sentMillis()));
    putIfWanted(attrs, "ApproximateReceiveCount", Integer.toString(d.receiveCount()));
    putIfWanted(attrs, "ApproximateFirstReceiveTimestamp", Long.toString(d.firstReceiveMillis()));
    putIfWanted(attrs, "SenderId", SqsApi.ACCOUNT);
    if (o.groupId() != null) {
      putIfWanted(attrs, "MessageGroupId", o.groupId());
    }
    if (queue.fifo()) {
      putIfWanted(attrs, "MessageDeduplicationId", o.dedupId());
      putIfWanted(attrs, "SequenceNumber", SqsApi.sequenceNumber(d.message().seq()));
    }
    String source = DeadLetters.sourceOf(d.message());
    if (source != null) {
      putIfWanted(attrs, "DeadLetterQueueSourceArn", SqsApi.arn(source));
    }
    MessageAttributes.Attribute trace = o.system().asMap().get("AWSTraceHeader");
    if (trace != null) {
      putIfWanted(attrs, "AWSTraceHeader", trace.stringValue());
    }
    if (!attrs.isEmpty()) {
      m.put("Attributes", attrs);
    }
    MessageAttributes selected = o.attributes().select(ask.attributeNames());
    if (!selected.isEmpty()) {
      m.put("MessageAttributes", selected.toJson()).put("MD5OfMessageAttributes", selected.md5());
    }
    return m;
  }

  private void putIfWanted(JsonObject attrs, String name, String value) {
    if (ask.systemNames().contains("All") || ask.systemNames().contains(name)) {
      attrs.put(name, value);
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private static void close(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // closing a subscription cannot fail
    }
  }
}
