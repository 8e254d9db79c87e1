package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Topic;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pub/Sub state in {@code emulator.data_dir}: what a restart keeps, and what it refuses to load. */
class PubSubDataDirectoryTest {

  @Test
  void topicsSubscriptionsAndUnacknowledgedMessagesSurviveARestartAndAcknowledgedOnesDoNot(@TempDir Path dir) throws Exception {
    String topic = PubSubClients.topic("kept");
    String sub = PubSubClients.subscription("kept-sub");
    PubsubMessage sent;
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).set("server.http2=true").dataDir("emulator.data_dir", dir).startInProcess();
        PubSubClients clients = new PubSubClients(first.port());
        TopicAdminClient topics = clients.topics(); SubscriptionAdminClient subs = clients.subscriptions()) {
      topics.createTopic(Topic.newBuilder().setName(topic).putLabels("env", "test").build());
      subs.createSubscription(sub, topic, PushConfig.getDefaultInstance(), 42);
      topics.publish(topic, List.of(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("acked")).build()));
      subs.acknowledge(sub, List.of(subs.pull(sub, 1).getReceivedMessages(0).getAckId()));
      topics.publish(topic, List.of(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("kept"))
          .putAttributes("k", "v").setOrderingKey("o").build()));
      sent = subs.pull(sub, 1).getReceivedMessages(0).getMessage(); // leased, not acknowledged
    }
    try (InProcessEmulator second = EmulatorLauncher.of(SampleEmulator.class).set("server.http2=true").dataDir("emulator.data_dir", dir).startInProcess();
        PubSubClients clients = new PubSubClients(second.port());
        TopicAdminClient topics = clients.topics(); SubscriptionAdminClient subs = clients.subscriptions()) {
      assertThat(topics.getTopic(topic).getLabelsMap()).containsEntry("env", "test");
      assertThat(subs.getSubscription(sub).getAckDeadlineSeconds()).isEqualTo(42);
      List<ReceivedMessage> again = subs.pull(sub, 10).getReceivedMessagesList();
      assertThat(again).extracting(ReceivedMessage::getMessage).containsExactly(sent);
      assertThat(sent.getAttributesMap()).containsEntry("k", "v");
      assertThat(sent.getOrderingKey()).isEqualTo("o");
    }
  }

  @Test
  void aDirectoryThatNamesNoTopicStopsStartupNamingIt(@TempDir Path dir) throws Exception {
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).set("server.http2=true").dataDir("emulator.data_dir", dir).startInProcess()) {
      first.stop();
    }
    Path foreign = Files.createDirectories(dir.resolve("pubsub/topics/not-a-topic"));
    Files.writeString(foreign.resolve("queue.rec"), "quiesce-sample-emulator/1 queue\n{\"name\":\"not-a-topic\",\"body_length\":0}\n");
    assertThatThrownBy(() -> EmulatorLauncher.of(SampleEmulator.class).set("server.http2=true").dataDir("emulator.data_dir", dir).startInProcess())
        .hasStackTraceContaining("pubsub/topics/not-a-topic in the data directory is not a Pub/Sub topic of this emulator");
  }
}
