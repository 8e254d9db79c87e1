package io.quiesce.sample.sqs;

import static io.quiesce.sample.sqs.SqsJson.integer;
import static io.quiesce.sample.sqs.SqsJson.object;
import static io.quiesce.sample.sqs.SqsJson.optionalString;
import static io.quiesce.sample.sqs.SqsJson.string;
import static io.quiesce.sample.sqs.SqsJson.strings;

import io.quiesce.api.QuiesceRuntime;
import io.quiesce.sample.EarlyAnswer;
import io.quiesce.sample.storage.MessageStore.LoadedQueue;
import io.quiesce.sample.storage.MessageStore.StoredDedup;
import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
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
  static final String JSON_1_0 = "application/x-amz-json-1.0";
  private static final Logger LOG = LogManager.getLogger(SqsApi.class);
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  /** Every queue attribute SQS has: one this queue does not have (a policy never set) is left out of the answer, not an error. */
  private static final Set<String> QUEUE_ATTRIBUTE_NAMES = Set.of("Policy", "VisibilityTimeout", "MaximumMessageSize",
      "MessageRetentionPeriod", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp",
      "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed", "DelaySeconds", "ReceiveMessageWaitTimeSeconds",
      "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
      "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled");
  private static final Pattern FIFO_QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo");

  private final Storage storage;
  private final QuiesceRuntime runtime;
  private final RuntimeClock clock;
  private final Map<String, Queue> queues = new ConcurrentHashMap<>();
  private final DeadLetters deadLetters;

  SqsApi(Storage storage, QuiesceRuntime runtime, RuntimeClock clock) {
    this.storage = storage;
    this.runtime = runtime;
    this.clock = clock;
    this.deadLetters = new DeadLetters(storage, queues);
  }

  /** Loads the queues found in storage; called when the service starts. */
  void restore() {
    queues.clear();
    long now = System.currentTimeMillis();
    for (LoadedQueue loaded : storage.messages().loaded()) {
      try {
        queues.put(loaded.queue().name(), new Queue(loaded.queue(), clock, loaded.messages(), loaded.dedups(), now));
      } catch (SqsError e) {
        throw new IllegalStateException("Queue " + loaded.queue().name() + " in the data directory holds a message whose "
            + "stored attributes do not read back (" + e.getMessage() + "); nothing was changed.", e);
      }
    }
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
      answer = RequestBody.read(req, storage.budget(), reserved).compose(body -> dispatch(req, action, RequestBody.json(body)));
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

  /** Answers the action; a null reply means the action answered itself (long poll). */
  private Future<JsonObject> dispatch(HttpServerRequest req, String action, JsonObject in) {
    return switch (action) {
      case "CreateQueue" -> createQueue(req, in);
      case "GetQueueUrl" -> Future.succeededFuture(new JsonObject().put("QueueUrl", url(req, queueNamed(string(in, "QueueName")).name())));
      case "TagQueue" -> tagQueue(in);
      case "UntagQueue" -> untagQueue(in);
      case "ListQueueTags" -> Future.succeededFuture(listQueueTags(in));
      case "ListQueues" -> Future.succeededFuture(listQueues(req, in));
      case "ListDeadLetterSourceQueues" -> Future.succeededFuture(listDeadLetterSources(req, in));
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
    boolean fifo = name.endsWith(".fifo");
    if (!(fifo ? FIFO_QUEUE_NAME : QUEUE_NAME).matcher(name).matches()) {
      throw SqsError.invalidParameter(fifo ? QueueSettings.fifoName()
          : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    JsonObject given = object(in, "Attributes");
    if (fifo && !"true".equals(given.getValue(QueueSettings.FIFO))) {
      throw SqsError.invalidParameter(QueueSettings.fifoName());
    }
    Map<String, String> tags = QueueTags.merge(Map.of(), SqsJson.stringMap(in, "tags"));
    return storage.blocking(() -> {
      synchronized (queues) {
        Map<String, String> requested = QueueSettings.check(given, fifo, true, queues::get);
        Queue existing = queues.get(name);
        if (existing != null) {
          for (Map.Entry<String, String> e : requested.entrySet()) {
            if (!e.getValue().equals(existing.config().attributes().getOrDefault(e.getKey(), ""))) {
              throw new SqsError("QueueNameExists", "QueueAlreadyExists",
                  "A queue already exists with the same name and a different value for attribute " + e.getKey());
            }
          }
          return existing; // tags are not compared, as in SQS
        }
        Map<String, String> attributes = new TreeMap<>(QueueSettings.defaults(fifo));
        attributes.putAll(requested);
        attributes.values().remove(""); // an empty RedrivePolicy is none
        StoredQueue config = new StoredQueue(name, Instant.now(), Map.copyOf(attributes), Map.copyOf(tags));
        storage.messages().createQueue(config);
        Queue q = new Queue(config, clock, List.of(), List.of(), System.currentTimeMillis());
        queues.put(name, q);
        return q;
      }
    }).map(q -> new JsonObject().put("QueueUrl", url(req, q.name())));
  }

  /** A message about to be sent, with the deduplication id it claimed (FIFO) or that of the earlier message it repeats. */
  private record Outgoing(StoredMessage message, MessageOptions options, StoredDedup claim, DedupWindow.Seen earlier) {

    JsonObject result() {
      JsonObject out = new JsonObject().put("MessageId", earlier != null ? earlier.messageId() : message.id())
          .put("MD5OfMessageBody", message.md5());
      if (!options.attributes().isEmpty()) {
        out.put("MD5OfMessageAttributes", options.attributes().md5());
      }
      if (!options.system().isEmpty()) {
        out.put("MD5OfMessageSystemAttributes", options.system().md5());
      }
      if (options.dedupId() != null) {
        out.put("SequenceNumber", sequenceNumber(earlier != null ? earlier.seq() : message.seq()));
      }
      return out;
    }
  }

  /**
   * Checks one SendMessage (or batch entry) and gives the message its number; on a FIFO queue,
   * claims its deduplication id, or finds it repeats a message sent within the interval.
   */
  private static Outgoing outgoing(Queue q, JsonObject in, long seq) {
    String body = string(in, "MessageBody");
    if (body.isEmpty()) {
      throw SqsError.invalidParameter("The request must contain a non-empty MessageBody.");
    }
    MessageOptions options = MessageOptions.parse(q, in, body);
    StoredMessage m = new StoredMessage(UUID.randomUUID().toString(), seq, body, md5(body), System.currentTimeMillis(),
        options.toMeta());
    if (options.dedupId() == null) {
      return new Outgoing(m, options, null, null);
    }
    String key = "messageGroup".equals(q.attribute(QueueSettings.DEDUP_SCOPE))
        ? options.groupId().length() + ":" + options.groupId() + options.dedupId() : options.dedupId();
    DedupWindow.Seen earlier = q.dedup().claim(key, m.id(), seq);
    return new Outgoing(m, options, earlier == null ? new StoredDedup(key, m.id(), seq, m.sentMillis()) : null, earlier);
  }

  private Future<JsonObject> sendMessage(JsonObject in) {
    Queue q = queueAt(in);
    Outgoing o = outgoing(q, in, q.reserveSeqs(1));
    return store(q, o.earlier() == null ? List.of(o) : List.of()).map(v -> o.result());
  }

  private Future<JsonObject> sendMessageBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = BatchEntries.of(in, "SendMessageBatchRequestEntry");
    // SQS: the messages of a batch together (bodies and attributes) are at most 1 MiB, whatever each entry's own size.
    long total = 0;
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      total += e.getValue("MessageBody") instanceof String b ? b.getBytes(StandardCharsets.UTF_8).length : 0;
      try {
        total += MessageAttributes.parse(e, "MessageAttributes").size();
      } catch (SqsError invalid) {
        // reported for that entry below
      }
    }
    if (total > MAX_MESSAGE_BYTES) {
      throw new SqsError("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", "Batch requests cannot be "
          + "longer than " + MAX_MESSAGE_BYTES + " bytes; the messages of this one add up to " + total + ".");
    }
    JsonArray failed = new JsonArray();
    Map<String, Outgoing> accepted = new LinkedHashMap<>();
    long seq = q.reserveSeqs(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      try {
        accepted.put(e.getString("Id"), outgoing(q, e, seq + i));
      } catch (SqsError err) {
        failed.add(BatchEntries.failure(e, err));
      }
    }
    List<Outgoing> toStore = accepted.values().stream().filter(o -> o.earlier() == null).toList();
    return store(q, toStore).map(v -> {
      JsonArray ok = new JsonArray();
      accepted.forEach((id, o) -> ok.add(o.result().put("Id", id)));
      return new JsonObject().put("Successful", ok).put("Failed", failed);
    });
  }

  /**
   * Stores messages (and the deduplication ids they claimed) durably, then makes them visible:
   * acknowledged means on disk. Deduplication ids past their interval are forgotten on the way.
   */
  private Future<Void> store(Queue q, List<Outgoing> outgoing) {
    if (outgoing.isEmpty()) {
      return Future.succeededFuture();
    }
    List<StoredMessage> messages = outgoing.stream().map(Outgoing::message).toList();
    List<StoredDedup> claims = outgoing.stream().map(Outgoing::claim).filter(java.util.Objects::nonNull).toList();
    return storage.<Void>blocking(() -> {
      if (q.deleted()) {
        throw SqsError.queueDoesNotExist();
      }
      storage.messages().save(q.name(), messages, claims);
      q.add(messages);
      storage.messages().deleteDedups(q.name(), q.dedup().takeExpired());
      return null;
    }).onFailure(e -> claims.forEach(c -> q.dedup().release(c.key(), c.seq())));
  }

  /** SetQueueAttributes: the settable attributes of CreateQueue, stored durably before they apply. */
  private Future<JsonObject> setQueueAttributes(JsonObject in) {
    Queue q = queueAt(in);
    if (in.getValue("Attributes") == null) {
      throw SqsError.missingParameter("Attributes");
    }
    JsonObject given = object(in, "Attributes");
    return storage.blocking(() -> {
      synchronized (queues) {
        Map<String, String> requested = QueueSettings.check(given, q.fifo(), false, queues::get);
        if (q.deleted()) {
          throw SqsError.queueDoesNotExist();
        }
        Map<String, String> all = new TreeMap<>(q.config().attributes());
        all.putAll(requested);
        all.values().remove(""); // an empty RedrivePolicy removes it
        StoredQueue config = new StoredQueue(q.name(), q.config().created(), Map.copyOf(all), q.config().tags());
        storage.messages().updateQueue(config);
        q.reconfigure(config);
      }
      return new JsonObject();
    });
  }

  private Future<JsonObject> tagQueue(JsonObject in) {
    Queue q = queueAt(in);
    if (in.getValue("Tags") == null) {
      throw SqsError.missingParameter("Tags");
    }
    Map<String, String> added = SqsJson.stringMap(in, "Tags");
    return retag(q, current -> QueueTags.merge(current, added));
  }

  private Future<JsonObject> untagQueue(JsonObject in) {
    Queue q = queueAt(in);
    if (in.getValue("TagKeys") == null) {
      throw SqsError.missingParameter("TagKeys");
    }
    List<String> keys = strings(in, "TagKeys");
    return retag(q, current -> {
      Map<String, String> out = new TreeMap<>(current);
      keys.forEach(out::remove);
      return out;
    });
  }

  /** Replaces a queue's tags with {@code change} of them, stored durably before the answer. */
  private Future<JsonObject> retag(Queue q, java.util.function.UnaryOperator<Map<String, String>> change) {
    return storage.blocking(() -> {
      synchronized (queues) {
        if (q.deleted()) {
          throw SqsError.queueDoesNotExist();
        }
        StoredQueue config = new StoredQueue(q.name(), q.config().created(), q.config().attributes(),
            Map.copyOf(change.apply(q.config().tags())));
        storage.messages().updateQueue(config);
        q.reconfigure(config);
      }
      return new JsonObject();
    });
  }

  private JsonObject listQueueTags(JsonObject in) {
    Map<String, String> tags = queueAt(in).config().tags();
    return tags.isEmpty() ? new JsonObject() : new JsonObject().put("Tags", new JsonObject(new LinkedHashMap<>(tags)));
  }

  private Future<JsonObject> receiveMessage(HttpServerRequest req, JsonObject in) {
    Queue q = queueAt(in);
    Integer max = integer(in, "MaxNumberOfMessages", 1, MAX_BATCH);
    Integer visibility = integer(in, "VisibilityTimeout", 0, 43_200);
    Integer wait = integer(in, "WaitTimeSeconds", 0, MAX_WAIT_SECONDS);
    Set<String> system = new HashSet<>();
    for (String field : List.of("AttributeNames", "MessageSystemAttributeNames")) {
      system.addAll(strings(in, field));
    }
    List<String> attributeNames = strings(in, "MessageAttributeNames");
    int count = max == null ? 1 : max;
    Duration hide = Duration.ofSeconds(visibility != null ? visibility : Long.parseLong(q.attribute("VisibilityTimeout")));
    Duration waitFor = Duration.ofSeconds(wait != null ? wait : Long.parseLong(q.attribute("ReceiveMessageWaitTimeSeconds")));
    LongPoll.Ask ask = new LongPoll.Ask(count, hide, clock.nanoTime() + waitFor.toNanos(), system, attributeNames,
        optionalString(in, "ReceiveRequestAttemptId", null));
    new LongPoll(req, q, ask, runtime, clock, deadLetters).attempt();
    return Future.succeededFuture(null);
  }

  private JsonObject listQueues(HttpServerRequest req, JsonObject in) {
    String prefix = optionalString(in, "QueueNamePrefix", "");
    return page(req, in, queues.keySet().stream().filter(n -> n.startsWith(prefix)).toList(), "QueueUrls");
  }

  /** ListDeadLetterSourceQueues: the queues that move their dead letters to this one. */
  private JsonObject listDeadLetterSources(HttpServerRequest req, JsonObject in) {
    return page(req, in, deadLetters.sourcesOf(queueAt(in).name()), "queueUrls");
  }

  /** One page of queue URLs in name order, by {@code MaxResults} and {@code NextToken} (the last name of the page before). */
  private static JsonObject page(HttpServerRequest req, JsonObject in, List<String> queueNames, String field) {
    Integer asked = integer(in, "MaxResults", 1, MAX_LIST_QUEUES);
    int max = asked == null ? MAX_LIST_QUEUES : asked;
    String after = optionalString(in, "NextToken", null);
    List<String> names = queueNames.stream().sorted().filter(n -> after == null || n.compareTo(after) > 0).toList();
    JsonObject out = new JsonObject();
    List<String> page = names.subList(0, Math.min(max, names.size()));
    out.put(field, new JsonArray(page.stream().map(n -> url(req, n)).toList()));
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
  private Future<JsonObject> deleteMessageBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = BatchEntries.of(in, "DeleteMessageBatchRequestEntry");
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
        failed.add(BatchEntries.failure(e, err));
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
  private Future<JsonObject> changeVisibilityBatch(JsonObject in) {
    Queue q = queueAt(in);
    JsonArray entries = BatchEntries.of(in, "ChangeMessageVisibilityBatchRequestEntry");
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
        failed.add(BatchEntries.failure(e, err));
      }
    }
    return Future.succeededFuture(new JsonObject().put("Successful", ok).put("Failed", failed));
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
    all.put("ApproximateNumberOfMessagesDelayed", Integer.toString(q.delayedCount()));
    String created = Long.toString(q.config().created().getEpochSecond());
    all.put("CreatedTimestamp", created);
    all.put("LastModifiedTimestamp", created);
    all.put("QueueArn", arn(q.name()));
    JsonObject out = new JsonObject();
    for (String name : strings(in, "AttributeNames")) {
      if ("All".equals(name)) {
        all.forEach(out::put);
      } else if (all.containsKey(name)) {
        out.put(name, all.get(name));
      } else if (!QUEUE_ATTRIBUTE_NAMES.contains(name)) {
        throw new SqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
      }
    }
    return out.isEmpty() ? new JsonObject() : new JsonObject().put("Attributes", out);
  }

  static String arn(String queue) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + queue;
  }

  /** A FIFO message's SequenceNumber: its number in the queue, as the large decimal SQS gives. */
  static String sequenceNumber(long seq) {
    return String.format("%020d", seq);
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

  static String md5(String body) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
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
