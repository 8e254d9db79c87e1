package io.quiesce.sample;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Google's Pub/Sub client pointed at the emulator the way its emulator documentation shows: a
 * plaintext channel and no credentials.
 */
final class PubSubClients implements AutoCloseable {

  static final String PROJECT = "test-project";

  final ManagedChannel channel;
  final TransportChannelProvider channelProvider;
  final NoCredentialsProvider credentials = NoCredentialsProvider.create();

  PubSubClients(int port) {
    channel = ManagedChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext().build();
    channelProvider = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  TopicAdminClient topics() throws IOException {
    return TopicAdminClient.create(TopicAdminSettings.newBuilder()
        .setTransportChannelProvider(channelProvider).setCredentialsProvider(credentials).build());
  }

  SubscriptionAdminClient subscriptions() throws IOException {
    return SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
        .setTransportChannelProvider(channelProvider).setCredentialsProvider(credentials).build());
  }

  static String topic(String id) {
    return "projects/" + PROJECT + "/topics/" + id;
  }

  static String subscription(String id) {
    return "projects/" + PROJECT + "/subscriptions/" + id;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
