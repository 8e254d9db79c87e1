package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiService;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pub/Sub's delivery contract through a real process and Google's own client: SIGTERM or SIGKILL
 * while a publisher and a streaming subscriber are busy, a new process on the same data directory
 * and port, and the client carries on by its own retries. Every message whose publish future
 * succeeded is delivered at least once, and no publish or subscriber fails for good. After SIGTERM
 * the shutdown report shows the open StreamingPull streams ended and nothing cut.
 */
class PubSubUnderSignalsTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final int MAX_MESSAGES = 5_000;
  private static final int BATCH = 10;
  private static final String TOPIC = PubSubClients.topic("load");
  private static final String SUBSCRIPTION = PubSubClients.subscription("load-worker");

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "KILL"})
  void everyPublishedMessageIsDeliveredAcrossARestart(String signal, @TempDir Path dir) throws Exception {
    int port = freePort();
    Set<Integer> published = ConcurrentHashMap.newKeySet();
    Map<Integer, Integer> received = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    long until = System.nanoTime() + LIMIT.toNanos();

    EmulatorProcess first = start(port, dir);
    try (PubSubClients clients = new PubSubClients(port)) {
      try (TopicAdminClient topics = clients.topics(); SubscriptionAdminClient subs = clients.subscriptions()) {
        topics.createTopic(TOPIC);
        subs.createSubscription(SUBSCRIPTION, TOPIC, PushConfig.getDefaultInstance(), 10);
      }
      Publisher publisher = Publisher.newBuilder(TOPIC).setChannelProvider(clients.channelProvider)
          .setCredentialsProvider(clients.credentials).build();
      Subscriber subscriber = Subscriber.newBuilder(SUBSCRIPTION, (PubsubMessage m, AckReplyConsumer reply) -> {
        received.merge(Integer.parseInt(m.getAttributesOrThrow("n")), 1, Integer::sum);
        reply.ack();
      }).setChannelProvider(clients.channelProvider).setCredentialsProvider(clients.credentials).build();
      subscriber.addListener(new ApiService.Listener() {
        @Override
        public void failed(ApiService.State from, Throwable failure) {
          failures.add(failure);
        }
      }, MoreExecutors.directExecutor());
      subscriber.startAsync().awaitRunning(30, TimeUnit.SECONDS);

      // Batches of publishes, each waited for: the client's retries absorb the outage, so a batch
      // sent across the restart only completes once the new process answers it.
      Thread publishing = new Thread(() -> {
        for (int n = 0; n < MAX_MESSAGES && !stop.get() && System.nanoTime() < until; n += BATCH) {
          List<ApiFuture<String>> batch = new ArrayList<>();
          for (int i = n; i < n + BATCH; i++) {
            batch.add(publisher.publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("message " + i))
                .putAttributes("n", Integer.toString(i)).build()));
          }
          for (int i = 0; i < BATCH; i++) {
            try {
              batch.get(i).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
              published.add(n + i);
            } catch (ExecutionException e) {
              failures.add(e.getCause());
            } catch (Exception e) {
              failures.add(e);
              return;
            }
          }
        }
      }, "publisher-load");
      publishing.start();

      await().atMost(LIMIT).until(() -> published.size() >= 300 && received.size() >= 150 || !failures.isEmpty());
      assertThat(failures).as("failures before the signal").isEmpty();
      int publishedAtSignal = published.size();
      first.signal(Signal.valueOf(signal));
      int code = first.awaitExit(Duration.ofSeconds(60));
      assertThat(code).as("exit code after SIG%s; output:%n%s", signal, first.output())
          .isEqualTo(signal.equals("TERM") ? 0 : 137);
      if (signal.equals("TERM")) {
        JsonObject report = shutdownReport(first);
        assertThat(report.getJsonArray("cut")).as("cut at drain").isEmpty();
        assertThat(task(report, "drain_requests", "pubsub streams").getString("outcome")).isEqualTo("ok");
        assertThat(first.output()).containsPattern("Pub/Sub: [1-9]\\d* StreamingPull stream\\(s\\) ended with UNAVAILABLE");
      }
      first.close();

      EmulatorProcess second = start(port, dir);
      try {
        await().atMost(LIMIT).until(() -> published.size() >= publishedAtSignal + 300 || !failures.isEmpty());
        stop.set(true);
        publishing.join(LIMIT.toMillis());
        publisher.shutdown();
        publisher.awaitTermination(30, TimeUnit.SECONDS);
        assertThat(failures).as("errors the client's own retries did not absorb").isEmpty();
        await().atMost(LIMIT).until(() -> received.keySet().containsAll(published) || !failures.isEmpty());
        subscriber.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
        assertThat(failures).as("subscriber failures").isEmpty();
        long duplicates = received.values().stream().filter(c -> c > 1).count();
        System.out.printf("SIG%s: %d published (%d before the signal), %d received, %d delivered more than once%n",
            signal, published.size(), publishedAtSignal, received.size(), duplicates);
        assertThat(received.keySet()).as("every message whose publish succeeded, delivered").containsAll(published);
      } finally {
        second.close();
      }
    } finally {
      first.close();
    }
  }

  /**
   * An acknowledgement that was answered is durable: after the signal and a restart, exactly the
   * messages not acknowledged are delivered again.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TERM", "KILL"})
  void answeredAcknowledgementsSurviveTheSignal(String signal, @TempDir Path dir) throws Exception {
    int port = freePort();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Set<String> notAcked = ConcurrentHashMap.newKeySet();
    try (EmulatorProcess first = start(port, dir); PubSubClients clients = new PubSubClients(port);
        TopicAdminClient topics = clients.topics(); SubscriptionAdminClient subs = clients.subscriptions()) {
      topics.createTopic(TOPIC);
      subs.createSubscription(SUBSCRIPTION, TOPIC, PushConfig.getDefaultInstance(), 600);
      List<PubsubMessage> batch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        batch.add(PubsubMessage.newBuilder().putAttributes("n", Integer.toString(i)).build());
      }
      topics.publish(TOPIC, batch);
      List<ReceivedMessage> got = new ArrayList<>();
      while (got.size() < 40) {
        got.addAll(subs.pull(SUBSCRIPTION, 40).getReceivedMessagesList());
      }
      for (ReceivedMessage r : got) {
        if (Integer.parseInt(r.getMessage().getAttributesOrThrow("n")) % 2 == 0) {
          subs.acknowledge(SUBSCRIPTION, List.of(r.getAckId()));
          acked.add(r.getMessage().getMessageId());
        } else {
          notAcked.add(r.getMessage().getMessageId());
        }
      }
      first.signal(Signal.valueOf(signal));
      first.awaitExit(Duration.ofSeconds(60));
    }
    try (EmulatorProcess second = start(port, dir); PubSubClients clients = new PubSubClients(port);
        SubscriptionAdminClient subs = clients.subscriptions()) {
      Set<String> again = ConcurrentHashMap.newKeySet();
      await().atMost(LIMIT).until(() -> {
        subs.pull(SUBSCRIPTION, 100).getReceivedMessagesList().forEach(r -> again.add(r.getMessage().getMessageId()));
        return again.size() >= notAcked.size();
      });
      assertThat(again).as("the unacknowledged ones, delivered again").containsExactlyInAnyOrderElementsOf(notAcked);
      assertThat(again).as("no acknowledged one").doesNotContainAnyElementsOf(acked);
    }
  }

  private static EmulatorProcess start(int port, Path dir) throws Exception {
    EmulatorProcess p = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .set("server.port=" + port, "server.http2=true", "emulator.demo_endpoints=false").startProcess();
    p.awaitReady(START);
    return p;
  }

  private static JsonObject shutdownReport(EmulatorProcess p) {
    for (String line : p.lines()) {
      int at = line.indexOf("Shutdown complete in ");
      if (at >= 0) {
        return new JsonObject(line.substring(line.indexOf('{', at)));
      }
    }
    throw new AssertionError("no shutdown report in the output:\n" + p.output());
  }

  private static JsonObject task(JsonObject report, String phase, String name) {
    for (Object p : report.getJsonArray("phases")) {
      JsonObject ph = (JsonObject) p;
      if (ph.getString("name").equals(phase)) {
        for (Object t : ph.getJsonArray("tasks", new JsonArray())) {
          if (((JsonObject) t).getString("name").equals(name)) {
            return (JsonObject) t;
          }
        }
      }
    }
    throw new AssertionError("no task " + phase + "/" + name + " in " + report.encode());
  }

  /** A port free now, so that the restarted process listens where the client reconnects. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
