package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.UnimplementedException;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.UpdateTopicRequest;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pub/Sub through Google's own Java client, against the emulator in this JVM (HTTP/2 on). */
class PubSubApiTest {

  private static InProcessEmulator emulator;
  private static PubSubClients clients;
  private static TopicAdminClient topics;
  private static SubscriptionAdminClient subscriptions;

  @BeforeAll
  static void start() throws Exception {
    emulator = EmulatorLauncher.of(SampleEmulator.class).set("server.http2=true").startInProcess();
    clients = new PubSubClients(emulator.port());
    topics = clients.topics();
    subscriptions = clients.subscriptions();
  }

  @AfterAll
  static void stop() throws Exception {
    topics.close();
    subscriptions.close();
    clients.close();
    emulator.close();
  }

  @Test
  void messagesPublishedWithAttributesAreReceivedOnceEachAndAcknowledged() throws Exception {
    String topic = PubSubClients.topic("orders");
    String sub = PubSubClients.subscription("orders-worker");
    topics.createTopic(topic);
    subscriptions.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 10);

    int n = 200;
    Publisher publisher = Publisher.newBuilder(topic).setChannelProvider(clients.channelProvider)
        .setCredentialsProvider(clients.credentials).build();
    List<ApiFuture<String>> published = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      published.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("order " + i))
          .putAttributes("n", Integer.toString(i)).putAttributes("kind", "order").build()));
    }
    List<String> ids = ApiFutures.allAsList(published).get(30, TimeUnit.SECONDS);
    publisher.shutdown();
    publisher.awaitTermination(10, TimeUnit.SECONDS);
    assertThat(ids).doesNotHaveDuplicates().hasSize(n);

    Map<String, PubsubMessage> received = new ConcurrentHashMap<>();
    CountDownLatch all = new CountDownLatch(n);
    Subscriber subscriber = Subscriber.newBuilder(sub, (PubsubMessage m, AckReplyConsumer reply) -> {
      if (received.putIfAbsent(m.getAttributesOrThrow("n"), m) == null) {
        all.countDown();
      }
      reply.ack();
    }).setChannelProvider(clients.channelProvider).setCredentialsProvider(clients.credentials).build();
    subscriber.startAsync().awaitRunning(10, TimeUnit.SECONDS);
    assertThat(all.await(30, TimeUnit.SECONDS)).as("all %d messages received, got %d", n, received.size()).isTrue();
    subscriber.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);

    for (int i = 0; i < n; i++) {
      PubsubMessage m = received.get(Integer.toString(i));
      assertThat(m.getData().toString(StandardCharsets.UTF_8)).isEqualTo("order " + i);
      assertThat(m.getAttributesMap()).containsEntry("kind", "order");
      assertThat(m.getPublishTime().getSeconds()).isPositive();
      assertThat(ids).contains(m.getMessageId());
    }
    // Every message was acknowledged: nothing is left to pull.
    PullResponse left = subscriptions.pull(sub, 100);
    assertThat(left.getReceivedMessagesList()).isEmpty();
  }

  @Test
  void aMessageNotAcknowledgedIsDeliveredAgainAndANackRedeliversAtOnce() {
    String topic = PubSubClients.topic("redelivery");
    String sub = PubSubClients.subscription("redelivery-sub");
    topics.createTopic(topic);
    subscriptions.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 10);
    topics.publish(topic, List.of(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("again")).build()));

    ReceivedMessage first = subscriptions.pull(sub, 10).getReceivedMessages(0);
    assertThat(subscriptions.pull(sub, 10).getReceivedMessagesList()).as("leased: not delivered twice").isEmpty();
    subscriptions.modifyAckDeadline(sub, List.of(first.getAckId()), 0); // a nack
    ReceivedMessage second = subscriptions.pull(sub, 10).getReceivedMessages(0);
    assertThat(second.getMessage().getMessageId()).isEqualTo(first.getMessage().getMessageId());
    assertThat(second.getAckId()).isNotEqualTo(first.getAckId());
    subscriptions.acknowledge(sub, List.of(second.getAckId()));
    subscriptions.modifyAckDeadline(sub, List.of(second.getAckId()), 0); // acknowledged: nothing to nack
    assertThat(subscriptions.pull(sub, 10).getReceivedMessagesList()).isEmpty();
  }

  @Test
  void adminOperationsAnswerWithTheRealServicesStatusCodes() {
    String topic = PubSubClients.topic("admin");
    String sub = PubSubClients.subscription("admin-sub");
    Topic created = topics.createTopic(Topic.newBuilder().setName(topic).putLabels("team", "a").build());
    assertThat(created.getLabelsMap()).containsEntry("team", "a");
    assertThat(topics.getTopic(topic).getName()).isEqualTo(topic);
    assertThatThrownBy(() -> topics.createTopic(topic)).isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> topics.getTopic(PubSubClients.topic("missing"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.createTopic("projects/test-project/topics/x")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("id \"x\"");
    assertThatThrownBy(() -> topics.createTopic("topics/nope")).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> subscriptions.createSubscription(sub, PubSubClients.topic("missing"), PushConfig.getDefaultInstance(), 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> subscriptions.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 5))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("ack_deadline_seconds");
    assertThatThrownBy(() -> subscriptions.createSubscription(Subscription.newBuilder().setName(sub).setTopic(topic)
        .setFilter("attributes.x = \"1\"").build())).isInstanceOf(UnimplementedException.class).hasMessageContaining("filter");
    Subscription s = subscriptions.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 30);
    assertThat(s.getAckDeadlineSeconds()).isEqualTo(30);
    assertThat(subscriptions.getSubscription(sub).getTopic()).isEqualTo(topic);
    assertThatThrownBy(() -> subscriptions.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 30))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> subscriptions.acknowledge(sub, List.of("not-an-ack-id"))).isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> subscriptions.pull(PubSubClients.subscription("missing"), 1)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> topics.publish(topic, List.of(PubsubMessage.getDefaultInstance())))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> topics.updateTopic(UpdateTopicRequest.newBuilder().setTopic(created).build()))
        .isInstanceOf(UnimplementedException.class);

    List<String> listed = new ArrayList<>();
    topics.listTopics("projects/" + PubSubClients.PROJECT).iterateAll().forEach(t -> listed.add(t.getName()));
    assertThat(listed).contains(topic);
    List<String> subs = new ArrayList<>();
    subscriptions.listSubscriptions("projects/" + PubSubClients.PROJECT).iterateAll().forEach(x -> subs.add(x.getName()));
    assertThat(subs).contains(sub);

    topics.deleteTopic(topic);
    assertThatThrownBy(() -> topics.getTopic(topic)).isInstanceOf(NotFoundException.class);
    assertThat(subscriptions.getSubscription(sub).getTopic()).isEqualTo("_deleted-topic_");
    subscriptions.deleteSubscription(sub);
    assertThatThrownBy(() -> subscriptions.getSubscription(sub)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> subscriptions.deleteSubscription(sub)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void listsArePagedInNameOrder() {
    for (int i = 0; i < 5; i++) {
      topics.createTopic(PubSubClients.topic("paged-" + i));
    }
    var page = topics.listTopics(com.google.pubsub.v1.ListTopicsRequest.newBuilder()
        .setProject("projects/" + PubSubClients.PROJECT).setPageSize(2).build());
    List<String> names = new ArrayList<>();
    page.iterateAll().forEach(t -> names.add(t.getName()));
    assertThat(names).isSorted().contains(PubSubClients.topic("paged-0"), PubSubClients.topic("paged-4"));
    assertThat(page.getPage().getValues()).hasSize(2);
  }
}
