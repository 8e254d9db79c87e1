package io.quiesce.sample.pubsub;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.ListSubscriptionsResponse;
import com.google.pubsub.v1.ListTopicsResponse;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.sample.storage.MessageStore;
import io.quiesce.sample.storage.MessageStore.LoadedQueue;
import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.sample.storage.Storage;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Pub/Sub's topics and subscriptions, a managed service on top of {@link Storage}: what the gRPC
 * methods do, without gRPC. Every answer that changes state comes after the change is durable
 * (with a data directory): a topic or subscription created or deleted, a message published (stored
 * in each subscription the topic had when it was published, as the real service fans it out), a
 * message acknowledged (its file deleted). Delivery state is in memory: after a restart every
 * unacknowledged message is delivered again, which at-least-once delivery allows.
 *
 * <p>Failures are {@link PubSubError}s carrying the status the real service answers with.
 */
public final class PubSubService implements ManagedService {

  static final int DEFAULT_ACK_DEADLINE_SECONDS = 10;
  static final int MAX_ACK_DEADLINE_SECONDS = 600;
  /** The real service's limits on a published message's attributes. */
  private static final int MAX_ATTRIBUTES = 100;
  private static final int MAX_ATTRIBUTE_KEY_BYTES = 256;
  private static final int MAX_ATTRIBUTE_VALUE_BYTES = 1024;
  private static final int MAX_PAGE_SIZE = 1000;
  private static final String DELETED_TOPIC = "_deleted-topic_";
  private static final String LABEL = "label:";
  /** Settings accepted and kept but not acted upon (documented in the README). */
  private static final Set<String> ACCEPTED_SUBSCRIPTION_FIELDS = Set.of("name", "topic", "ack_deadline_seconds", "labels",
      "push_config", "message_retention_duration", "expiration_policy", "retry_policy");

  /** A topic as created; {@code created} is when, for storage. */
  record TopicState(ResourceName name, Map<String, String> labels, Instant created) {}

  /** A subscription with its messages; its topic becomes {@value #DELETED_TOPIC} when the topic is deleted. */
  static final class SubscriptionState {
    final ResourceName name;
    final int ackDeadlineSeconds;
    final Map<String, String> labels;
    final Instant created;
    final Backlog backlog;
    volatile String topic;

    SubscriptionState(ResourceName name, String topic, int ackDeadlineSeconds, Map<String, String> labels, Instant created,
        Backlog backlog) {
      this.name = name;
      this.topic = topic;
      this.ackDeadlineSeconds = ackDeadlineSeconds;
      this.labels = labels;
      this.created = created;
      this.backlog = backlog;
    }

    Subscription toProto() {
      return Subscription.newBuilder().setName(name.toString()).setTopic(topic).setAckDeadlineSeconds(ackDeadlineSeconds)
          .putAllLabels(labels).setPushConfig(PushConfig.getDefaultInstance()).build();
    }
  }

  private final Storage storage;
  private final RuntimeClock clock;
  // Read without a lock (event loops never wait on storage); changed only under `changes`, which is
  // held across the storage write so that two creates of one name cannot both be stored.
  private final NavigableMap<String, TopicState> topics = new ConcurrentSkipListMap<>();
  private final NavigableMap<String, SubscriptionState> subscriptions = new ConcurrentSkipListMap<>();
  private final Object changes = new Object();
  private final AtomicLong nextSeq = new AtomicLong();
  private volatile boolean running;

  public PubSubService(Storage storage, QuiesceRuntime runtime, RuntimeClock clock) {
    this.storage = storage;
    this.clock = clock;
    runtime.healthCheck("pubsub", p -> {
      JsonObject data = new JsonObject().put("running", running);
      if (running) {
        data.put("topics", topicCount()).put("subscriptions", subscriptionCount());
      }
      p.complete(running ? Status.OK(data) : Status.KO(data));
    });
  }

  @Override
  public String name() {
    return "pubsub";
  }

  @Override
  public Future<Void> start() {
    if (!storage.started()) {
      return Future.failedFuture(new IllegalStateException("pubsub needs the storage service started first"));
    }
    return storage.blocking(() -> {
      restore();
      running = true;
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    running = false;
    return Future.succeededFuture();
  }

  private void restore() throws IOException {
    topics.clear();
    subscriptions.clear();
    // Message ids must not repeat across restarts, while acknowledged messages leave no trace: start
    // above both what is stored and a clock-based floor (a thousand ids per millisecond of uptime).
    long next = System.currentTimeMillis() * 1000;
    for (LoadedQueue q : storage.topics().loaded()) {
      ResourceName name = ResourceName.fromFileName(q.queue().name(), ResourceName.TOPICS);
      topics.put(name.toString(), new TopicState(name, labels(q.queue().attributes()), q.queue().created()));
    }
    for (LoadedQueue q : storage.subscriptions().loaded()) {
      ResourceName name = ResourceName.fromFileName(q.queue().name(), ResourceName.SUBSCRIPTIONS);
      Map<String, String> a = q.queue().attributes();
      SubscriptionState s = new SubscriptionState(name, a.getOrDefault("topic", DELETED_TOPIC),
          Integer.parseInt(a.getOrDefault("ack_deadline_seconds", "" + DEFAULT_ACK_DEADLINE_SECONDS)), labels(a),
          q.queue().created(), new Backlog(clock));
      Map<Long, PubsubMessage> messages = new LinkedHashMap<>();
      for (StoredMessage m : q.messages()) {
        messages.put(m.seq(), decode(m));
        next = Math.max(next, m.seq() + 1);
      }
      s.backlog.add(messages);
      subscriptions.put(name.toString(), s);
    }
    nextSeq.set(next);
  }

  // --- topics ---

  Future<Topic> createTopic(Topic request) {
    ResourceName name = ResourceName.parse(request.getName(), ResourceName.TOPICS, "name");
    refuseOtherFields(request, Set.of("name", "labels"), "Topic");
    TopicState topic = new TopicState(name, Map.copyOf(request.getLabelsMap()), Instant.now());
    return storage.blocking(() -> {
      synchronized (changes) {
        if (topics.containsKey(name.toString())) {
          throw PubSubError.alreadyExists(name.id());
        }
        storage.topics().createQueue(new StoredQueue(name.fileName(), topic.created(), withLabels(Map.of(), topic.labels()), Map.of()));
        topics.put(name.toString(), topic);
      }
      return toProto(topic);
    });
  }

  Topic getTopic(String name) {
    return toProto(topic(name, "topic"));
  }

  ListTopicsResponse listTopics(String project, int pageSize, String pageToken) {
    String prefix = "projects/" + ResourceName.project(project) + "/topics/";
    ListTopicsResponse.Builder out = ListTopicsResponse.newBuilder();
    String next = page(topics, prefix, pageSize, pageToken, t -> out.addTopics(toProto(t)));
    return out.setNextPageToken(next).build();
  }

  Future<Void> deleteTopic(String name) {
    TopicState t = topic(name, "topic");
    return storage.blocking(() -> {
      synchronized (changes) {
        if (topics.remove(t.name().toString(), t)) {
          storage.topics().deleteQueue(t.name().fileName());
          // As in the real service, the topic's subscriptions stay, detached from it.
          for (SubscriptionState s : subscriptions.values()) {
            if (s.topic.equals(t.name().toString())) {
              s.topic = DELETED_TOPIC;
              storage.subscriptions().updateQueue(stored(s));
            }
          }
        }
      }
      return null;
    });
  }

  /** Stores the messages in every subscription of the topic, then answers their ids. */
  Future<List<String>> publish(String topicName, List<PubsubMessage> messages) {
    if (messages.isEmpty()) {
      throw PubSubError.invalid("A Publish request needs at least one message");
    }
    messages.forEach(PubSubService::check);
    String topic = topic(topicName, "topic").name().toString();
    List<SubscriptionState> targets = subscriptions.values().stream().filter(s -> s.topic.equals(topic)).toList();
    long first = nextSeq.getAndAdd(messages.size());
    Timestamp now = timestamp(Instant.now());
    Map<Long, PubsubMessage> published = new LinkedHashMap<>();
    List<StoredMessage> stored = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      long seq = first + i;
      PubsubMessage m = messages.get(i).toBuilder().setMessageId(Long.toString(seq)).setPublishTime(now).build();
      published.put(seq, m);
      stored.add(encode(seq, m));
    }
    List<String> ids = published.values().stream().map(PubsubMessage::getMessageId).toList();
    if (targets.isEmpty()) {
      return Future.succeededFuture(ids); // a topic without subscriptions keeps nothing, as in the real service
    }
    return storage.blocking(() -> {
      for (SubscriptionState s : targets) {
        try {
          storage.subscriptions().save(s.name.fileName(), stored);
        } catch (IOException e) {
          if (!s.backlog.deleted()) {
            throw e;
          } // deleted meanwhile: its messages went with it
        }
        s.backlog.add(published);
      }
      return ids;
    });
  }

  // --- subscriptions ---

  Future<Subscription> createSubscription(Subscription request) {
    ResourceName name = ResourceName.parse(request.getName(), ResourceName.SUBSCRIPTIONS, "name");
    ResourceName topicName = ResourceName.parse(request.getTopic(), ResourceName.TOPICS, "topic");
    refuseOtherFields(request, ACCEPTED_SUBSCRIPTION_FIELDS, "Subscription");
    if (!request.getPushConfig().equals(PushConfig.getDefaultInstance())) {
      throw PubSubError.unsupported("Push delivery (Subscription.push_config)");
    }
    int deadline = request.getAckDeadlineSeconds() == 0 ? DEFAULT_ACK_DEADLINE_SECONDS : request.getAckDeadlineSeconds();
    if (deadline < DEFAULT_ACK_DEADLINE_SECONDS || deadline > MAX_ACK_DEADLINE_SECONDS) {
      throw PubSubError.invalid("Invalid ack_deadline_seconds " + request.getAckDeadlineSeconds() + ": expected "
          + DEFAULT_ACK_DEADLINE_SECONDS + " to " + MAX_ACK_DEADLINE_SECONDS + " (or 0 for " + DEFAULT_ACK_DEADLINE_SECONDS + ")");
    }
    SubscriptionState s = new SubscriptionState(name, topicName.toString(), deadline, Map.copyOf(request.getLabelsMap()),
        Instant.now(), new Backlog(clock));
    return storage.blocking(() -> {
      synchronized (changes) {
        if (subscriptions.containsKey(name.toString())) {
          throw PubSubError.alreadyExists(name.id());
        }
        if (!topics.containsKey(topicName.toString())) {
          throw PubSubError.notFound(topicName.id());
        }
        storage.subscriptions().createQueue(stored(s));
        subscriptions.put(name.toString(), s);
      }
      return s.toProto();
    });
  }

  Subscription getSubscription(String name) {
    return subscription(name).toProto();
  }

  ListSubscriptionsResponse listSubscriptions(String project, int pageSize, String pageToken) {
    String prefix = "projects/" + ResourceName.project(project) + "/subscriptions/";
    ListSubscriptionsResponse.Builder out = ListSubscriptionsResponse.newBuilder();
    String next = page(subscriptions, prefix, pageSize, pageToken, s -> out.addSubscriptions(s.toProto()));
    return out.setNextPageToken(next).build();
  }

  Future<Void> deleteSubscription(String name) {
    SubscriptionState s = subscription(name);
    return storage.blocking(() -> {
      synchronized (changes) {
        if (subscriptions.remove(s.name.toString(), s)) {
          s.backlog.markDeleted();
          storage.subscriptions().deleteQueue(s.name.fileName());
        }
      }
      return null;
    });
  }

  /** The subscription named; NOT_FOUND if there is none. */
  SubscriptionState subscription(String name) {
    ResourceName n = ResourceName.parse(name, ResourceName.SUBSCRIPTIONS, "subscription");
    SubscriptionState s = subscriptions.get(n.toString());
    if (s == null) {
      throw PubSubError.notFound(n.id());
    }
    return s;
  }

  /** Removes the messages acknowledged, durably before the future completes. */
  Future<Void> acknowledge(SubscriptionState s, List<String> ackIds) {
    List<Long> removed = s.backlog.acknowledge(ackIds);
    if (removed.isEmpty()) {
      return Future.succeededFuture();
    }
    return storage.blocking(() -> {
      try {
        storage.subscriptions().delete(s.name.fileName(), removed);
      } catch (IOException e) {
        if (!s.backlog.deleted()) {
          throw e;
        }
      }
      return null;
    });
  }

  void modifyAckDeadline(SubscriptionState s, List<String> ackIds, int seconds) {
    ackIds.forEach(AckId::seq); // every ack id checked before any is applied
    s.backlog.modifyDeadline(ackIds, Duration.ofSeconds(checkedDeadline(seconds, "ack_deadline_seconds")));
  }

  static int checkedDeadline(int seconds, String field) {
    if (seconds < 0 || seconds > MAX_ACK_DEADLINE_SECONDS) {
      throw PubSubError.invalid("Invalid " + field + " " + seconds + ": expected 0 to " + MAX_ACK_DEADLINE_SECONDS);
    }
    return seconds;
  }

  int topicCount() {
    return topics.size();
  }

  int subscriptionCount() {
    return subscriptions.size();
  }

  // --- helpers ---

  private TopicState topic(String name, String field) {
    ResourceName n = ResourceName.parse(name, ResourceName.TOPICS, field);
    TopicState t = topics.get(n.toString());
    if (t == null) {
      throw PubSubError.notFound(n.id());
    }
    return t;
  }

  private static <T> String page(NavigableMap<String, T> all, String prefix, int pageSize, String pageToken,
      java.util.function.Consumer<T> add) {
    if (pageSize < 0) {
      throw PubSubError.invalid("Invalid page_size " + pageSize + ": expected 0 (the default) or more");
    }
    int max = pageSize == 0 || pageSize > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : pageSize;
    if (!pageToken.isEmpty() && !pageToken.startsWith(prefix)) {
      throw PubSubError.invalid("Invalid page_token \"" + pageToken + "\": not one this emulator gave out for this project");
    }
    NavigableMap<String, T> rest = pageToken.isEmpty() ? all.tailMap(prefix, true) : all.tailMap(pageToken, false);
    int n = 0;
    for (Map.Entry<String, T> e : rest.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (n == max) {
        return all.lowerKey(e.getKey());
      }
      add.accept(e.getValue());
      n++;
    }
    return "";
  }

  private static void refuseOtherFields(Message request, Set<String> accepted, String type) {
    for (FieldDescriptor f : request.getAllFields().keySet()) {
      if (!accepted.contains(f.getName())) {
        throw PubSubError.unsupported(type + "." + f.getName());
      }
    }
  }

  private static void check(PubsubMessage m) {
    if (m.getData().isEmpty() && m.getAttributesCount() == 0) {
      throw PubSubError.invalid("A message needs data or at least one attribute");
    }
    if (m.getAttributesCount() > MAX_ATTRIBUTES) {
      throw PubSubError.invalid("A message may have at most " + MAX_ATTRIBUTES + " attributes; this one has " + m.getAttributesCount());
    }
    m.getAttributesMap().forEach((k, v) -> {
      if (k.isEmpty() || k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ATTRIBUTE_KEY_BYTES || k.startsWith("goog")) {
        throw PubSubError.invalid("Invalid attribute key \"" + k + "\": 1 to " + MAX_ATTRIBUTE_KEY_BYTES
            + " bytes, not starting with \"goog\"");
      }
      if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ATTRIBUTE_VALUE_BYTES) {
        throw PubSubError.invalid("The value of attribute \"" + k + "\" is longer than " + MAX_ATTRIBUTE_VALUE_BYTES + " bytes");
      }
    });
  }

  private static Topic toProto(TopicState t) {
    return Topic.newBuilder().setName(t.name().toString()).putAllLabels(t.labels()).build();
  }

  private static StoredQueue stored(SubscriptionState s) {
    return new StoredQueue(s.name.fileName(), s.created, withLabels(Map.of("topic", s.topic,
        "ack_deadline_seconds", Integer.toString(s.ackDeadlineSeconds)), s.labels), Map.of());
  }

  private static Map<String, String> withLabels(Map<String, String> attributes, Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>(attributes);
    labels.forEach((k, v) -> out.put(LABEL + k, v));
    return out;
  }

  private static Map<String, String> labels(Map<String, String> attributes) {
    return attributes.entrySet().stream().filter(e -> e.getKey().startsWith(LABEL))
        .collect(Collectors.toUnmodifiableMap(e -> e.getKey().substring(LABEL.length()), Map.Entry::getValue));
  }

  /** A message on disk: its protobuf encoding (data, attributes, ordering key, id, publish time) in base64. */
  private static StoredMessage encode(long seq, PubsubMessage m) {
    String body = Base64.getEncoder().encodeToString(m.toByteArray());
    return new StoredMessage(m.getMessageId(), seq, body, MessageStore.bodyMd5(body), m.getPublishTime().getSeconds() * 1000, new JsonObject());
  }

  private static PubsubMessage decode(StoredMessage m) throws IOException {
    try {
      return PubsubMessage.parseFrom(Base64.getDecoder().decode(m.body()));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw new IOException("stored Pub/Sub message " + m.id() + " does not decode: " + e.getMessage(), e);
    }
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
