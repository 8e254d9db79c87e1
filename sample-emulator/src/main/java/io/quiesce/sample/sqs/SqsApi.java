package io.quiesce.sample.sqs;

import io.quiesce.api.QuiesceRuntime;
import io.quiesce.sample.EarlyAnswer;
import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The SQS API over the AWS JSON 1.0 protocol ({@code POST /}, {@code X-Amz-Target: AmazonSQS.<Action>}).
 * Queue state is in memory ({@link Queue}); every accepted message is durable in the
 * {@link Storage} before SendMessage answers, and a deleted one is gone from it before
 * DeleteMessage answers. Long polls end early when drain begins.
 */
final class SqsApi {

  static final String TARGET_PREFIX = "AmazonSQS.";
  static final String ACCOUNT = "000000000000";
  static final int MAX_BATCH = 10;
  static final int MAX_WAIT_SECONDS = 20;
  /** SQS's largest message (since 2025) and largest batch payload. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;
  /** Largest request body read: a 1 MiB message or batch with room for JSON escaping. */
  static final int MAX_REQUEST_BYTES = 2 * MAX_MESSAGE_BYTES;
  /** ListQueues answers at most this many URLs per page, with a NextToken for the rest (as SQS does). */
  static final int MAX_LIST_QUEUES = 1000;
  /** A Host header that is a host name or address, with an optional port: safe to echo into a QueueUrl. */
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253})(:\\d{1,5})?");
  private static final String JSON_1_0 = "application/x-amz-json-1.0";
  private static final Logger LOG = LogManager.getLogger(SqsApi.class);
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  private static final Map<String, String> DEFAULTS = Map.of(
      "VisibilityTimeout", "30",
      "ReceiveMessageWaitTimeSeconds", "0",
      "DelaySeconds", "0",
      "MaximumMessageSize", Integer.toString(MAX_MESSAGE_BYTES),
      "MessageRetentionPeriod", "345600");
  /** Settable attributes with their accepted ranges; DelaySeconds only 0 (delays are not emulated). */
  private static final Map<String, long[]> RANGES = Map.of(
      "VisibilityTimeout", new long[] {0, 43_200},
      "ReceiveMessageWaitTimeSeconds", new long[] {0, MAX_WAIT_SECONDS},
      "DelaySeconds", new long[] {0, 0},
      "MaximumMessageSize", new long[] {1024, MAX_MESSAGE_BYTES},
      "MessageRetentionPeriod", new long[] {60, 1_209_600});

  private final Vertx vertx;
  private final Storage storage;
  private final QuiesceRuntime runtime;
  private final RuntimeClock clock;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();

  SqsApi(Vertx vertx, Storage storage, QuiesceRuntime runtime, RuntimeClock clock) {
    this.vertx = vertx;
    this.storage = storage;
    this.runtime = runtime;
    this.clock = clock;
  }

  /** Loads the queues found in storage; called when the service starts. */
  void restore() {
    queues.clear();
    storage.messages().loaded().forEach(q -> queues.put(q.queue().name(), new Queue(q.queue(), clock, q.messages())));
  }

  int queueCount() {
    return queues.size();
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    // The SDKs read the request id from this header (ResponseMetadata.requestId, and in errors).
    req.response().putHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    String action = req.getHeader("X-Amz-Target").substring(TARGET_PREFIX.length());
    long[] reserved = {0};
    Future<JsonObject> answer;
    try {
      String host = req.getHeader("Host");
      if (host != null && !HOST.matcher(host).matches()) {
        // It is echoed into every QueueUrl: only a host name or address, and a port.
        throw SqsError.invalidParameter("The Host header is not a host name or address with an optional port.");
      }
      answer = readBody(req, reserved).compose(body -> dispatch(req, action, parse(body)));
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer
        .onComplete(r -> storage.budget().release(reserved[0])) // the body and what was parsed from it are done with
        .onSuccess(reply -> {
          if (reply != null && !req.response().ended() && !req.response().closed()) {
            req.response().putHeader("Content-Type", JSON_1_0).end(reply.encode());
          }
        })
        .onFailure(e -> fail(req, e));
  }

  /**
   * The request body, refused as soon as it passes {@link #MAX_REQUEST_BYTES} whatever its
   * framing (Content-Length or chunked), and held in memory only under the shared budget: the
   * declared length up front, or chunk by chunk. What was reserved is added to {@code reserved[0]}.
   */
  private Future<Buffer> readBody(HttpServerRequest req, long[] reserved) {
    String te = req.getHeader("transfer-encoding");
    if (te != null && (!te.strip().equalsIgnoreCase("chunked") || req.getHeader("content-length") != null)) {
      throw SqsError.invalidParameter("Transfer-Encoding \"" + te + "\" cannot be framed (RFC 9112 6.1).");
    }
    String length = req.getHeader("content-length");
    if (length != null && !length.strip().matches("\\d{1,18}")) {
      throw SqsError.invalidParameter("The Content-Length \"" + length + "\" is not a number.");
    }
    long declared = length == null ? -1 : Long.parseLong(length.strip());
    if (declared > MAX_REQUEST_BYTES) {
      throw tooLarge();
    }
    if (declared > 0) {
      if (!storage.budget().tryReserve(declared)) {
        throw SqsError.throttled();
      }
      reserved[0] = declared;
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > MAX_REQUEST_BYTES) {
        req.pause();
        done.tryFail(tooLarge());
        return;
      }
      if (declared < 0) {
        if (!storage.budget().tryReserve(chunk.length())) {
          req.pause();
          done.tryFail(SqsError.throttled());
          return;
        }
        reserved[0] += chunk.length();
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }

  private static SqsError tooLarge() {
    return SqsError.invalidParameter("The request is larger than " + MAX_REQUEST_BYTES + " bytes.");
  }

  private static JsonObject parse(Buffer body) {
    if (body.length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new SqsError("SerializationException", "SerializationException", "The request body is not a JSON object.");
    }
  }

  /** Answers the action; a null reply means the action answered itself (long poll). */
  private Future<JsonObject> dispatch(HttpServerRequest req, String action, JsonObject in) {
    return switch (action) {
      case "CreateQueue" -> createQueue(req, in);
      case "GetQueueUrl" -> Future.succeededFuture(new JsonObject().put("QueueUrl", url(req, queueNamed(string(in, "QueueName")).name())));
      case "ListQueues" -> Future.succeededFuture(listQueues(req, in));
      case "DeleteQueue" -> deleteQueue(in);
      case "SendMessage" -> sendMessage(in);
      case "SendMessageBatch" -> sendMessageBatch(in);
      case "ReceiveMessage" -> receiveMessage(req, in);
      case "DeleteMessage" -> deleteMessage(in);
      case "ChangeMessageVisibility" -> changeVisibility(in);
      case "SetQueueAttributes" -> setQueueAttributes(in);
      case "DeleteMessageBatch" -> deleteMessageBatch(in);
      case "ChangeMessageVisibilityBatch" -> changeVisibilityBatch(in);
      case "PurgeQueue" -> purgeQueue(in);
      case "GetQueueAttributes" -> Future.succeededFuture(getAttributes(in));
      default -> throw new SqsError("UnknownOperationException", "UnknownOperationException",
          "The action " + action + " is not valid for this endpoint or not implemented by this emulator.");
    };
  }

  private Future<JsonObject> createQueue(HttpServerRequest req, JsonObject in) {
    String name = string(in, "QueueName");
    if (name.endsWith(".fifo")) {
      throw SqsError.invalidParameter("FIFO queues are not implemented by this emulator.");
    }
    if (!QUEUE_NAME.matcher(name).matches()) {
      throw SqsError.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    Map<String, String> requested = attributes(object(in, "Attributes"));
    Map<String, String> attributes = new TreeMap<>(DEFAULTS);
    attributes.putAll(requested);
    return storage.blocking(() -> {
      synchronized (queues) {
        Queue existing = queues.get(name);
        if (existing != null) {
          for (Map.Entry<String, String> e : requested.entrySet()) {
            if (!e.getValue().equals(existing.attribute(e.getKey()))) {
              throw new SqsError("QueueNameExists", "QueueAlreadyExists",
                  "A queue already exists with the same name and a different value for attribute " + e.getKey());
            }
          }
          return existing;
        }
        StoredQueue config = new StoredQueue(name, Instant.now(), Map.copyOf(attributes));
        storage.messages().createQueue(config);
        Queue q = new Queue(config, clock, List.of());
        queues.put(name, q);
        return q;
      }
    }).map(q -> new JsonObject().put("QueueUrl", url(req, q.name())));
  }

  private JsonObject listQueues(HttpServerRequest req, JsonObject in) {
    String prefix = optionalString(in, "QueueNamePrefix", "");
    Integer asked = integer(in, "MaxResults", 1, MAX_LIST_QUEUES);
    int max = asked == null ? MAX_LIST_QUEUES : asked;
    String after = optionalString(in, "NextToken", null);
    List<String> names = queues.keySet().stream().filter(n -> n.startsWith(prefix)).sorted()
        .filter(n -> after == null || n.compareTo(after) > 0).toList();
    JsonObject out = new JsonObject();
    List<String> page = names.subList(0, Math.min(max, names.size()));
    out.put("QueueUrls", new JsonArray(page.stream().map(n -> url(req, n)).toList()));
    if (names.size() > max) {
      out.put("NextToken", page.get(page.size() - 1));
    }
    return out;
  }

  private Future<JsonObject> deleteQueue(JsonObject in) {
    Queue q = queueAt(in);
    return storage.blocking(() -> {
      synchronized (queues) {
        if (queues.remove(q.name(), q)) {
          q.markDeleted();
          storage.messages().deleteQueue(q.name());
        }
      }
      return new JsonObject();
    });
  }

  private Future<JsonObject> sendMessage(JsonObject in) {
    Queue q = queueAt(in);
    String body = checkedBody(q, in);
    long seq = q.reserveSeqs(1);
    StoredMessage m = new StoredMessage(UUID.randomUUID().toString(), seq, body, md5(body), System.currentTimeMillis());
    return store(q, List.of(m)).map(v -> new JsonObject().put("MessageId", m.id()).put("MD5OfMessageBody", m.md5()));
  }

  private Future<JsonObject> sendMessageBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = batchEntries(in, "SendMessageBatchRequestEntry");
    // SQS: the bodies of a batch together are at most 1 MiB, whatever each entry's own size.
    long total = 0;
    for (int i = 0; i < entries.size(); i++) {
      Object body = entries.getJsonObject(i).getValue("MessageBody");
      total += body instanceof String b ? b.getBytes(StandardCharsets.UTF_8).length : 0;
    }
    if (total > MAX_MESSAGE_BYTES) {
      throw new SqsError("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", "Batch requests cannot be "
          + "longer than " + MAX_MESSAGE_BYTES + " bytes; the message bodies of this one add up to " + total + ".");
    }
    JsonArray failed = new JsonArray();
    Map<String, StoredMessage> accepted = new LinkedHashMap<>();
    long seq = q.reserveSeqs(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      try {
        String body = checkedBody(q, e);
        accepted.put(e.getString("Id"), new StoredMessage(UUID.randomUUID().toString(), seq + i, body, md5(body), System.currentTimeMillis()));
      } catch (SqsError err) {
        failed.add(failure(e, err));
      }
    }
    return store(q, List.copyOf(accepted.values())).map(v -> {
      JsonArray ok = new JsonArray();
      accepted.forEach((id, m) -> ok.add(new JsonObject().put("Id", id).put("MessageId", m.id()).put("MD5OfMessageBody", m.md5())));
      return new JsonObject().put("Successful", ok).put("Failed", failed);
    });
  }

  /** SetQueueAttributes: the settable attributes of CreateQueue, stored durably before they apply. */
  private Future<JsonObject> setQueueAttributes(JsonObject in) {
    Queue q = queueAt(in);
    if (in.getValue("Attributes") == null) {
      throw SqsError.missingParameter("Attributes");
    }
    Map<String, String> requested = attributes(object(in, "Attributes"));
    return storage.blocking(() -> {
      synchronized (queues) {
        if (q.deleted()) {
          throw SqsError.queueDoesNotExist();
        }
        Map<String, String> all = new TreeMap<>(q.config().attributes());
        all.putAll(requested);
        StoredQueue config = new StoredQueue(q.name(), q.config().created(), Map.copyOf(all));
        storage.messages().updateQueue(config);
        q.reconfigure(config);
      }
      return new JsonObject();
    });
  }

  /** DeleteMessageBatch: each entry as DeleteMessage, failures reported per entry; the deletions stored at once. */
  private Future<JsonObject> deleteMessageBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = batchEntries(in, "DeleteMessageBatchRequestEntry");
    JsonArray ok = new JsonArray();
    JsonArray failed = new JsonArray();
    List<Long> removed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      try {
        StoredMessage m = q.delete(string(e, "ReceiptHandle"));
        if (m != null) {
          removed.add(m.seq());
        }
        ok.add(new JsonObject().put("Id", e.getString("Id")));
      } catch (SqsError err) {
        failed.add(failure(e, err));
      }
    }
    JsonObject reply = new JsonObject().put("Successful", ok).put("Failed", failed);
    if (removed.isEmpty()) {
      return Future.succeededFuture(reply);
    }
    return storage.blocking(() -> {
      storage.messages().delete(q.name(), removed);
      return reply;
    });
  }

  /** ChangeMessageVisibilityBatch: each entry as ChangeMessageVisibility, failures reported per entry. */
  private Future<JsonObject> changeVisibilityBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = batchEntries(in, "ChangeMessageVisibilityBatchRequestEntry");
    JsonArray ok = new JsonArray();
    JsonArray failed = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      try {
        Integer timeout = integer(e, "VisibilityTimeout", 0, 43_200);
        if (timeout == null) {
          throw SqsError.missingParameter("VisibilityTimeout");
        }
        q.changeVisibility(string(e, "ReceiptHandle"), Duration.ofSeconds(timeout));
        ok.add(new JsonObject().put("Id", e.getString("Id")));
      } catch (SqsError err) {
        failed.add(failure(e, err));
      }
    }
    return Future.succeededFuture(new JsonObject().put("Successful", ok).put("Failed", failed));
  }

  private static JsonObject failure(JsonObject entry, SqsError err) {
    return new JsonObject().put("Id", entry.getString("Id")).put("SenderFault", err.status() < 500).put("Code", err.queryCode())
        .put("Message", err.getMessage());
  }

  /** A batch's entries: 1 to 10 objects with distinct, well-formed ids, or the error SQS answers. */
  private static JsonArray batchEntries(JsonObject in, String entryType) {
    JsonArray entries = array(in, "Entries");
    if (entries == null || entries.isEmpty()) {
      throw new SqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one "
          + entryType + " in the request.");
    }
    if (entries.size() > MAX_BATCH) {
      throw new SqsError("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
          "Maximum number of entries per request are " + MAX_BATCH + ". You have sent " + entries.size() + ".");
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        throw SqsError.invalidParameter("Entries must be a list of objects; entry " + (i + 1) + " is not.");
      }
      Object id = entry.getValue("Id");
      if (!(id instanceof String s) || !BATCH_ID.matcher(s).matches()) {
        throw new SqsError("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
      }
      if (!ids.add((String) id)) {
        throw new SqsError("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
      }
    }
    return entries;
  }

  /** Stores messages durably, then makes them visible: acknowledged means on disk. */
  private Future<Void> store(Queue q, List<StoredMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    return storage.blocking(() -> {
      if (q.deleted()) {
        throw SqsError.queueDoesNotExist();
      }
      storage.messages().save(q.name(), messages);
      q.add(messages);
      return null;
    });
  }

  private Future<JsonObject> receiveMessage(HttpServerRequest req, JsonObject in) {
    Queue q = queueAt(in);
    Integer max = integer(in, "MaxNumberOfMessages", 1, MAX_BATCH);
    Integer visibility = integer(in, "VisibilityTimeout", 0, 43_200);
    Integer wait = integer(in, "WaitTimeSeconds", 0, MAX_WAIT_SECONDS);
    Set<String> wanted = new HashSet<>();
    for (String field : List.of("AttributeNames", "MessageSystemAttributeNames")) {
      wanted.addAll(strings(in, field));
    }
    int count = max == null ? 1 : max;
    Duration hide = Duration.ofSeconds(visibility != null ? visibility : Long.parseLong(q.attribute("VisibilityTimeout")));
    Duration waitFor = Duration.ofSeconds(wait != null ? wait : Long.parseLong(q.attribute("ReceiveMessageWaitTimeSeconds")));
    new LongPoll(req, q, count, hide, clock.nanoTime() + waitFor.toNanos(), wanted).attempt();
    return Future.succeededFuture(null);
  }

  /**
   * One ReceiveMessage that may wait: it answers as soon as messages are visible, when its wait
   * time is over, when the queue is deleted, or at once when drain begins (an empty answer is
   * valid), so a 20 s wait never holds up shutdown. All its steps run on the request's context.
   */
  private final class LongPoll {
    private final HttpServerRequest req;
    private final Queue queue;
    private final int max;
    private final Duration hide;
    private final long deadlineNanos;
    private final Set<String> wanted;
    private final Context context = vertx.getOrCreateContext();
    private AutoCloseable onMessages;
    private AutoCloseable onDrain;
    private RuntimeClock.Cancellable timer;
    private boolean done;

    LongPoll(HttpServerRequest req, Queue queue, int max, Duration hide, long deadlineNanos, Set<String> wanted) {
      this.req = req;
      this.queue = queue;
      this.max = max;
      this.hide = hide;
      this.deadlineNanos = deadlineNanos;
      this.wanted = wanted;
    }

    void attempt() {
      if (done) {
        return;
      }
      List<Queue.Delivery> got = queue.receive(max, hide, System.currentTimeMillis());
      long left = deadlineNanos - clock.nanoTime();
      if (!got.isEmpty() || left <= 0 || runtime.state().isShuttingDown() || queue.deleted() || req.response().closed()) {
        finish(got);
        return;
      }
      if (onMessages == null) {
        Runnable wake = () -> context.runOnContext(v -> attempt());
        onMessages = queue.onMessages(wake);
        onDrain = runtime.onDrain(v -> wake.run());
        req.response().closeHandler(v -> finish(List.of()));
      }
      // Wake at the deadline, or earlier when a received message becomes visible again.
      Duration next = queue.untilNextVisible();
      Duration until = Duration.ofNanos(left);
      if (next != null && next.compareTo(until) < 0) {
        until = next;
      }
      cancelTimer();
      timer = clock.schedule(until.plusMillis(1), () -> context.runOnContext(v -> attempt()));
    }

    private void finish(List<Queue.Delivery> got) {
      if (done) {
        return;
      }
      done = true;
      cancelTimer();
      close(onMessages);
      close(onDrain);
      if (req.response().ended() || req.response().closed()) {
        return; // the client left; what it did not get becomes visible after its timeout, as in SQS
      }
      JsonArray messages = new JsonArray();
      for (Queue.Delivery d : got) {
        JsonObject m = new JsonObject().put("MessageId", d.message().id()).put("ReceiptHandle", d.receiptHandle())
            .put("MD5OfBody", d.message().md5()).put("Body", d.message().body());
        JsonObject attrs = new JsonObject();
        putIfWanted(attrs, "SentTimestamp", Long.toString(d.message().sentMillis()));
        putIfWanted(attrs, "ApproximateReceiveCount", Integer.toString(d.receiveCount()));
        putIfWanted(attrs, "ApproximateFirstReceiveTimestamp", Long.toString(d.firstReceiveMillis()));
        putIfWanted(attrs, "SenderId", ACCOUNT);
        if (!attrs.isEmpty()) {
          m.put("Attributes", attrs);
        }
        messages.add(m);
      }
      JsonObject out = messages.isEmpty() ? new JsonObject() : new JsonObject().put("Messages", messages);
      req.response().putHeader("Content-Type", JSON_1_0).end(out.encode());
    }

    private void putIfWanted(JsonObject attrs, String name, String value) {
      if (wanted.contains("All") || wanted.contains(name)) {
        attrs.put(name, value);
      }
    }

    private void cancelTimer() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  private Future<JsonObject> deleteMessage(JsonObject in) {
    Queue q = queueAt(in);
    StoredMessage removed = q.delete(string(in, "ReceiptHandle"));
    if (removed == null) {
      return Future.succeededFuture(new JsonObject());
    }
    return storage.blocking(() -> {
      storage.messages().delete(q.name(), List.of(removed.seq()));
      return new JsonObject();
    });
  }

  private Future<JsonObject> changeVisibility(JsonObject in) {
    Queue q = queueAt(in);
    String handle = string(in, "ReceiptHandle");
    Integer timeout = integer(in, "VisibilityTimeout", 0, 43_200);
    if (timeout == null) {
      throw SqsError.missingParameter("VisibilityTimeout");
    }
    q.changeVisibility(handle, Duration.ofSeconds(timeout));
    return Future.succeededFuture(new JsonObject());
  }

  private Future<JsonObject> purgeQueue(JsonObject in) {
    Queue q = queueAt(in);
    List<Long> seqs = q.purge();
    return storage.blocking(() -> {
      storage.messages().delete(q.name(), seqs);
      return new JsonObject();
    });
  }

  private JsonObject getAttributes(JsonObject in) {
    Queue q = queueAt(in);
    Map<String, String> all = new LinkedHashMap<>(q.config().attributes());
    all.put("ApproximateNumberOfMessages", Integer.toString(q.visibleCount()));
    all.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(q.inFlightCount()));
    all.put("ApproximateNumberOfMessagesDelayed", "0");
    String created = Long.toString(q.config().created().getEpochSecond());
    all.put("CreatedTimestamp", created);
    all.put("LastModifiedTimestamp", created);
    all.put("QueueArn", "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + q.name());
    JsonObject out = new JsonObject();
    for (String name : strings(in, "AttributeNames")) {
      if ("All".equals(name)) {
        all.forEach(out::put);
      } else if (all.containsKey(String.valueOf(name))) {
        out.put(String.valueOf(name), all.get(String.valueOf(name)));
      } else {
        throw new SqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
      }
    }
    return out.isEmpty() ? new JsonObject() : new JsonObject().put("Attributes", out);
  }

  private static Map<String, String> attributes(JsonObject requested) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : requested) {
      long[] range = RANGES.get(e.getKey());
      if (range == null) {
        throw new SqsError("InvalidAttributeName", "InvalidAttributeName",
            "Unknown or unsupported attribute " + e.getKey() + " (this emulator supports " + new TreeMap<>(RANGES).keySet() + ").");
      }
      String v = String.valueOf(e.getValue());
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException ex) {
        n = Long.MIN_VALUE;
      }
      if (n < range[0] || n > range[1]) {
        throw new SqsError("InvalidAttributeValue", "InvalidAttributeValue", "Invalid value for the parameter " + e.getKey()
            + ": expected an integer from " + range[0] + " to " + range[1] + ", was \"" + v + "\".");
      }
      out.put(e.getKey(), Long.toString(n));
    }
    return out;
  }

  private static String checkedBody(Queue q, JsonObject in) {
    String body = string(in, "MessageBody");
    if (body.isEmpty()) {
      throw SqsError.invalidParameter("The request must contain a non-empty MessageBody.");
    }
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Integer.parseInt(q.attribute("MaximumMessageSize"))) {
      throw SqsError.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than "
          + q.attribute("MaximumMessageSize") + " bytes.");
    }
    Object delay = in.getValue("DelaySeconds");
    if (delay != null && !"0".equals(String.valueOf(delay))) {
      throw SqsError.invalidParameter("DelaySeconds other than 0 is not implemented by this emulator.");
    }
    Object attrs = in.getValue("MessageAttributes");
    if (attrs instanceof JsonObject o && !o.isEmpty() || in.getValue("MessageSystemAttributes") instanceof JsonObject s && !s.isEmpty()) {
      throw SqsError.invalidParameter("Message attributes are not implemented by this emulator.");
    }
    return body;
  }

  private Queue queueAt(JsonObject in) {
    String url = string(in, "QueueUrl");
    String name = url.substring(url.lastIndexOf('/') + 1);
    return queueNamed(name);
  }

  private Queue queueNamed(String name) {
    Queue q = queues.get(name);
    if (q == null) {
      throw SqsError.queueDoesNotExist();
    }
    return q;
  }

  private static String url(HttpServerRequest req, String name) {
    String host = req.getHeader("Host");
    return "http://" + (host == null ? "127.0.0.1" : host) + "/" + ACCOUNT + "/" + name;
  }

  private static String string(JsonObject in, String field) {
    Object v = in.getValue(field);
    if (v == null) {
      throw SqsError.missingParameter(field);
    }
    if (!(v instanceof String s)) {
      throw SqsError.invalidParameter(field + " must be a string.");
    }
    return s;
  }

  private static String optionalString(JsonObject in, String field, String absent) {
    Object v = in.getValue(field);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof String s)) {
      throw SqsError.invalidParameter(field + " must be a string.");
    }
    return s;
  }

  /** An optional JSON object field; empty when absent. */
  private static JsonObject object(JsonObject in, String field) {
    Object v = in.getValue(field);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw SqsError.invalidParameter(field + " must be a map.");
    }
    return o;
  }

  /** An optional JSON array field; null when absent. */
  private static JsonArray array(JsonObject in, String field) {
    Object v = in.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw SqsError.invalidParameter(field + " must be a list.");
    }
    return a;
  }

  /** An optional list of strings; empty when absent. */
  private static List<String> strings(JsonObject in, String field) {
    JsonArray a = array(in, field);
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw SqsError.invalidParameter(field + " must be a list of strings.");
        }
        out.add(s);
      }
    }
    return out;
  }

  private static Integer integer(JsonObject in, String field, int min, int max) {
    Object v = in.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.longValue() < min || n.longValue() > max) {
      throw SqsError.invalidParameter("Value " + v + " for parameter " + field + " is invalid. Reason: must be between "
          + min + " and " + max + ".");
    }
    return n.intValue();
  }

  static String md5(String body) {
    return io.quiesce.sample.storage.MessageStore.bodyMd5(body);
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

  private static void fail(HttpServerRequest req, Throwable cause) {
    SqsError e;
    if (cause instanceof SqsError s) {
      e = s;
    } else if (cause instanceof io.quiesce.sample.storage.StoreException) {
      e = SqsError.queueDoesNotExist();
    } else {
      LOG.error("SQS request failed", cause);
      if (!req.response().ended() && !req.response().closed()) {
        req.response().setStatusCode(500).putHeader("Content-Type", JSON_1_0)
            .end(new JsonObject().put("__type", "com.amazonaws.sqs#InternalError").put("message", "Internal error").encode());
      }
      return;
    }
    if (!req.response().ended() && !req.response().closed()) {
      boolean unread = !req.isEnded();
      if (unread) {
        // Answered before the body was read: drop the rest, and close once it has arrived.
        req.response().putHeader("Connection", "close");
        EarlyAnswer.discardBodyThenClose(req);
      }
      req.response().setStatusCode(e.status())
          .putHeader("Content-Type", JSON_1_0)
          .putHeader("x-amzn-query-error", e.queryCode() + (e.status() < 500 ? ";Sender" : ";Receiver"))
          .end(new JsonObject().put("__type", "com.amazonaws.sqs#" + e.type()).put("message", e.getMessage()).encode());
    }
  }
}
