package io.quiesce.bench;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientStream;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.ResponseObserver;
import com.google.api.gax.rpc.StreamController;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.stub.GrpcPublisherStub;
import com.google.cloud.pubsub.v1.stub.GrpcSubscriberStub;
import com.google.cloud.pubsub.v1.stub.PublisherStubSettings;
import com.google.cloud.pubsub.v1.stub.SubscriberStubSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.StreamingPullRequest;
import com.google.pubsub.v1.StreamingPullResponse;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gRPC on the runtime's HTTP/2 server: the sample emulator's Pub/Sub, driven by Google's own client
 * stubs (gax over grpc-java), as a real child process with {@code server.http2=true}, in memory.
 *
 * <p>Unary publish rate: {@value #CONCURRENCY} Publish calls in flight at all times, one message
 * of {@value #MESSAGE_BYTES} bytes each, to a topic with one subscription; 2 s of warm-up, then
 * {@value #MEASURE_MS} ms measured. Drain: {@value #STREAMS} open StreamingPull streams (over
 * {@value #CHANNELS} connections) receiving a burst of messages; SIGTERM; each stream must end
 * with {@code UNAVAILABLE} (the status the client retries), the process exit 0, nothing cut.
 */
final class GrpcSection {

  static final int ROUNDS = 3;
  static final int CONCURRENCY = 64;
  static final int MESSAGE_BYTES = 100;
  static final long WARMUP_MS = 2000;
  static final long MEASURE_MS = 5000;
  static final int STREAMS = 200;
  static final int CHANNELS = 4;
  private static final String TOPIC = "projects/bench/topics/load";
  private static final String SUBSCRIPTION = "projects/bench/subscriptions/load";
  private static final Pattern REPORT = Pattern.compile("Shutdown complete in \\d+ ms: (\\{.*\\})");

  private GrpcSection() {}

  static Section run(Path sampleJar, Path work) throws Exception {
    List<Double> rates = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Long> publishErrors = new ArrayList<>();
    List<Double> signalToExit = new ArrayList<>();
    List<Double> lastStreamEnd = new ArrayList<>();
    List<Long> unavailable = new ArrayList<>();
    List<Long> otherEnds = new ArrayList<>();
    List<Long> exitCodes = new ArrayList<>();
    List<Long> withMessages = new ArrayList<>();
    List<Boolean> reportClean = new ArrayList<>();
    Map<String, Long> otherStatuses = new TreeMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      int port = ChildJvm.freePort();
      try (ChildJvm jvm = ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port,
          "--set", "server.http2=true", "--set", "emulator.demo_endpoints=false"), work.resolve("logs/grpc-" + round + ".log"))) {
        HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 1000);
        List<ManagedChannel> channels = new ArrayList<>();
        for (int c = 0; c < CHANNELS; c++) {
          channels.add(ManagedChannelBuilder.forTarget("127.0.0.1:" + port).usePlaintext().build());
        }
        try (GrpcPublisherStub publisher = GrpcPublisherStub.create(PublisherStubSettings.newBuilder()
                .setTransportChannelProvider(provider(channels.get(0))).setCredentialsProvider(NoCredentialsProvider.create()).build())) {
          publisher.createTopicCallable().call(Topic.newBuilder().setName(TOPIC).build());
          try (GrpcSubscriberStub admin = subscriber(channels.get(0))) {
            admin.createSubscriptionCallable().call(Subscription.newBuilder().setName(SUBSCRIPTION).setTopic(TOPIC)
                .setPushConfig(PushConfig.getDefaultInstance()).setAckDeadlineSeconds(600).build());
          }
          publishFor(publisher, WARMUP_MS, new ArrayList<>(), new AtomicLong());
          List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
          AtomicLong errors = new AtomicLong();
          long t0 = System.nanoTime();
          long done = publishFor(publisher, MEASURE_MS, latencies, errors);
          double seconds = (System.nanoTime() - t0) / 1e9;
          List<Long> sorted = new ArrayList<>(latencies);
          Collections.sort(sorted);
          rates.add(done / seconds);
          p50.add(sorted.get(sorted.size() / 2) / 1e6);
          p99.add(sorted.get((int) (sorted.size() * 0.99)) / 1e6);
          publishErrors.add(errors.get());

          // Drain: open streams, let them receive, then SIGTERM.
          List<GrpcSubscriberStub> subscribers = new ArrayList<>();
          Map<Integer, String> ends = new ConcurrentHashMap<>();
          Map<Integer, Long> endNanos = new ConcurrentHashMap<>();
          java.util.Set<Integer> received = ConcurrentHashMap.newKeySet(); // streams that got messages
          CountDownLatch ended = new CountDownLatch(STREAMS);
          for (ManagedChannel ch : channels) {
            subscribers.add(subscriber(ch));
          }
          for (int i = 0; i < STREAMS; i++) {
            int id = i;
            ClientStream<StreamingPullRequest> stream = subscribers.get(i % CHANNELS).streamingPullCallable().splitCall(
                new ResponseObserver<StreamingPullResponse>() {
                  @Override
                  public void onStart(StreamController c) {
                    // no flow control: the emulator sends what is ready
                  }

                  @Override
                  public void onResponse(StreamingPullResponse r) {
                    received.add(id);
                  }

                  @Override
                  public void onError(Throwable t) {
                    ends.put(id, t instanceof ApiException a ? a.getStatusCode().getCode().name() : t.toString());
                    endNanos.put(id, System.nanoTime());
                    ended.countDown();
                  }

                  @Override
                  public void onComplete() {
                    ends.put(id, "OK");
                    endNanos.put(id, System.nanoTime());
                    ended.countDown();
                  }
                });
            stream.send(StreamingPullRequest.newBuilder().setSubscription(SUBSCRIPTION).setStreamAckDeadlineSeconds(600)
                .setClientId("bench-" + id).build());
          }
          // Every stream open (admitted, counted in flight by the runtime), then a burst of messages
          // that the streams are still receiving when the signal comes.
          DrainSection.awaitInFlight(port, STREAMS);
          PublishRequest.Builder burst = PublishRequest.newBuilder().setTopic(TOPIC);
          for (int i = 0; i < 1000; i++) {
            burst.addMessages(message());
          }
          publisher.publishCallable().call(burst.build());
          long signal = jvm.sigterm();
          long[] exit = jvm.awaitExit(60_000);
          ended.await(30, TimeUnit.SECONDS);
          signalToExit.add((exit[1] - signal) / 1e6);
          lastStreamEnd.add(endNanos.values().stream().mapToLong(n -> n - signal).max().orElse(-1) / 1e6);
          long u = ends.values().stream().filter("UNAVAILABLE"::equals).count();
          unavailable.add(u);
          otherEnds.add((long) STREAMS - u);
          ends.values().stream().filter(s -> !s.equals("UNAVAILABLE")).forEach(s -> otherStatuses.merge(s, 1L, Long::sum));
          exitCodes.add(exit[0]);
          Matcher m = REPORT.matcher(Files.readString(jvm.log()));
          reportClean.add(m.find() && new JsonObject(m.group(1)).getJsonArray("cut").isEmpty());
          for (GrpcSubscriberStub s : subscribers) {
            s.close();
          }
          withMessages.add((long) received.size());
          System.out.printf("  grpc round %d: %.0f publish/s (p99 %.1f ms, %d errors); %d/%d streams ended UNAVAILABLE (%d had received messages), signal->exit %.0f ms, exit %d%n",
              round + 1, rates.get(round), p99.get(round), errors.get(), u, STREAMS, received.size(), signalToExit.get(round), exit[0]);
        } finally {
          for (ManagedChannel ch : channels) {
            ch.shutdownNow();
          }
        }
      }
    }
    long totalOther = otherEnds.stream().mapToLong(Long::longValue).sum();
    boolean clean = exitCodes.stream().allMatch(c -> c == 0) && reportClean.stream().allMatch(b -> b);
    boolean met = totalOther == 0 && clean && publishErrors.stream().allMatch(e -> e == 0);
    String md = String.format("""
        | unary Publish, %d in flight, 1 message of %d B each (%d rounds) | median | per round |
        |---|---:|---|
        | **Publish calls/s** | **%.0f** | %s |
        | latency p50 (ms) | %.2f | %s |
        | latency p99 (ms) | %.2f | %s |
        | errors | | %s |

        | drain of %d open StreamingPull streams over %d connections (%d rounds) | median | max | per round |
        |---|---:|---:|---|
        | SIGTERM → exit (ms) | %.0f | %.0f | %s |
        | SIGTERM → last stream ended (ms) | %.0f | %.0f | %s |
        | streams that received messages (before or after SIGTERM) | | | %s |
        | streams ended `UNAVAILABLE` (retried by the client) | | | %s |
        | **streams ended otherwise** (target 0 %s) | | **%d total** | %s%s |
        | exit code; shutdown report with nothing cut | | | %s; %s |

        The sample emulator as a child JVM with `server.http2=true`, in memory; Google's own gax stubs
        (`GrpcPublisherStub`, `GrpcSubscriberStub`, grpc-java's Netty transport) in the benchmark's JVM,
        plaintext. Publish: %d calls kept in flight for %d ms after %d ms of warm-up, to a topic with one
        subscription. Drain: once the runtime counts all streams in flight, one Publish of 1000 messages,
        then SIGTERM at once, while the streams are still receiving them; a stream that ends with any
        status but `UNAVAILABLE`, or not at all within 30 s of the signal, counts as ended otherwise.
        """, CONCURRENCY, MESSAGE_BYTES, ROUNDS, Stats.median(rates), Stats.list(rates, 0), Stats.median(p50), Stats.list(p50, 2),
        Stats.median(p99), Stats.list(p99, 2), publishErrors,
        STREAMS, CHANNELS, ROUNDS, Stats.median(signalToExit), Stats.max(signalToExit), Stats.list(signalToExit, 0),
        Stats.median(lastStreamEnd), Stats.max(lastStreamEnd), Stats.list(lastStreamEnd, 0), withMessages, unavailable,
        totalOther == 0 ? "✅" : "❌", totalOther, otherEnds, otherStatuses.isEmpty() ? "" : " " + otherStatuses, exitCodes, reportClean,
        CONCURRENCY, MEASURE_MS, WARMUP_MS);
    JsonObject summary = new JsonObject()
        .put("publish_per_second", Stats.round(Stats.median(rates), 0))
        .put("publish_p99_ms", Stats.round(Stats.median(p99), 2))
        .put("streams_drain_signal_to_exit_ms", Stats.round(Stats.median(signalToExit), 1))
        .put("streams_ended_otherwise", totalOther)
        .put("targets_met", met);
    return new Section("grpc", "gRPC: Pub/Sub publish rate and drain of open streams", md, summary);
  }

  /** Keeps {@link #CONCURRENCY} Publish calls in flight for {@code millis}; returns how many completed. */
  private static long publishFor(GrpcPublisherStub publisher, long millis, List<Long> latencies, AtomicLong errors)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    AtomicLong completed = new AtomicLong();
    long until = System.nanoTime() + millis * 1_000_000;
    PublishRequest request = PublishRequest.newBuilder().setTopic(TOPIC).addMessages(message()).build();
    while (System.nanoTime() < until) {
      if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      long sent = System.nanoTime();
      ApiFutures.addCallback(publisher.publishCallable().futureCall(request), new ApiFutureCallback<>() {
        @Override
        public void onSuccess(com.google.pubsub.v1.PublishResponse r) {
          latencies.add(System.nanoTime() - sent);
          completed.incrementAndGet();
          inFlight.release();
        }

        @Override
        public void onFailure(Throwable t) {
          errors.incrementAndGet();
          inFlight.release();
        }
      }, Runnable::run);
    }
    inFlight.acquire(CONCURRENCY); // the last ones finish
    return completed.get();
  }

  private static PubsubMessage message() {
    return PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[MESSAGE_BYTES])).build();
  }

  private static TransportChannelProvider provider(ManagedChannel channel) {
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  private static GrpcSubscriberStub subscriber(ManagedChannel channel) throws java.io.IOException {
    return GrpcSubscriberStub.create(SubscriberStubSettings.newBuilder().setTransportChannelProvider(provider(channel))
        .setCredentialsProvider(NoCredentialsProvider.create()).build());
  }
}
