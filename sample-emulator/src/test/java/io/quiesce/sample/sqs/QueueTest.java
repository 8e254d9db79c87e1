package io.quiesce.sample.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Visibility timeouts on a manual clock: a received message comes back exactly when its timeout passes. */
class QueueTest {

  private final ManualClock clock = new ManualClock();
  private final Queue queue = new Queue(new StoredQueue("q", Instant.EPOCH, Map.of(), Map.of()), clock,
      List.of(message(0, "first"), message(1, "second")), List.of(), 0);

  @Test
  void aReceivedMessageReturnsWhenItsVisibilityTimeoutPasses() {
    List<Queue.Delivery> got = receive(1, 1);
    assertThat(got).extracting(d -> d.message().body()).containsExactly("first");
    assertThat(queue.untilNextVisible()).isEqualTo(Duration.ofSeconds(30));

    clock.advance(Duration.ofSeconds(29));
    assertThat(receive(10, 2)).extracting(d -> d.message().body()).containsExactly("second");
    assertThat(queue.visibleCount()).isZero();

    clock.advance(Duration.ofSeconds(1));
    List<Queue.Delivery> again = receive(10, 3);
    assertThat(again).extracting(d -> d.message().body()).containsExactly("first");
    assertThat(again.get(0).receiveCount()).isEqualTo(2);
    assertThat(again.get(0).firstReceiveMillis()).isEqualTo(1);
  }

  @Test
  void deletedMessagesNeverReturnAndTheirSequenceIsReported() {
    Queue.Delivery d = receive(1, 1).get(0);
    assertThat(queue.delete(d.receiptHandle()).seq()).isZero();
    clock.advance(Duration.ofMinutes(5));
    assertThat(receive(10, 2)).extracting(x -> x.message().body()).containsExactly("second");
  }

  @Test
  void listenersHearOfNewAndReturningMessages() throws Exception {
    AtomicInteger wakes = new AtomicInteger();
    try (AutoCloseable sub = queue.onMessages(wakes::incrementAndGet)) {
      queue.add(List.of(message(queue.reserveSeqs(1), "third")));
      assertThat(wakes).hasValue(1);
      Queue.Delivery d = receive(1, 1).get(0);
      queue.changeVisibility(d.receiptHandle(), Duration.ZERO);
      assertThat(wakes).hasValue(2);
    }
    queue.add(List.of(message(queue.reserveSeqs(1), "fourth")));
    assertThat(wakes).hasValue(2);
  }

  private List<Queue.Delivery> receive(int max, long nowMillis) {
    return queue.receive(max, Duration.ofSeconds(30), nowMillis, 0).deliveries();
  }

  private static StoredMessage message(long seq, String body) {
    return new StoredMessage("id-" + seq, seq, body, SqsApi.md5(body), 0, new io.vertx.core.json.JsonObject());
  }
}
