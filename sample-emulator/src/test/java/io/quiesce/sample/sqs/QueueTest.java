package io.quiesce.sample.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.sample.storage.MessageStore.StoredDedup;
import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.time.ManualClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Delivery state on a manual clock: visibility timeouts, delays, deduplication intervals and receive limits end exactly on time. */
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

  @Test
  void aDeduplicationIdIsRememberedForFiveMinutesOnTheClock() {
    Queue fifo = fifoQueue(List.of());
    assertThat(fifo.dedup().claim("tx-1", "m-1", 7)).isNull();
    clock.advance(Duration.ofMinutes(5).minusNanos(1));
    assertThat(fifo.dedup().claim("tx-1", "m-2", 8)).extracting(DedupWindow.Seen::messageId).isEqualTo("m-1");
    assertThat(fifo.dedup().takeExpired()).isEmpty();

    clock.advance(Duration.ofNanos(1));
    assertThat(fifo.dedup().claim("tx-1", "m-3", 9)).isNull();
    assertThat(fifo.dedup().takeExpired()).containsExactly(7L);
  }

  @Test
  void aStoredDeduplicationIdKeepsWhatIsLeftOfItsInterval() {
    long now = 10_000_000L;
    Queue fifo = fifoQueue(List.of(new StoredDedup("tx-1", "m-1", 3, now - Duration.ofMinutes(4).toMillis()),
        new StoredDedup("tx-old", "m-0", 2, now - Duration.ofMinutes(6).toMillis())), now);
    assertThat(fifo.dedup().takeExpired()).containsExactly(2L);
    clock.advance(Duration.ofSeconds(59));
    assertThat(fifo.dedup().claim("tx-1", "m-2", 4)).isNotNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(fifo.dedup().claim("tx-1", "m-2", 4)).isNull();
  }

  @Test
  void aDelayedMessageBecomesVisibleWhenItsDelayPasses() {
    queue.add(List.of(new StoredMessage("d", queue.reserveSeqs(1), "delayed", SqsApi.md5("delayed"), 0,
        new JsonObject().put("delay", 10))));
    assertThat(queue.delayedCount()).isEqualTo(1);
    assertThat(receive(10, 1)).extracting(d -> d.message().body()).containsExactly("first", "second");
    assertThat(queue.untilNextVisible()).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(receive(10, 2)).extracting(d -> d.message().body()).containsExactly("delayed");
  }

  @Test
  void aMessageReceivedMaxReceiveCountTimesIsTakenOutAsDead() {
    assertThat(queue.receive(1, Duration.ofSeconds(30), 1, 2).deliveries()).hasSize(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(queue.receive(1, Duration.ofSeconds(30), 2, 2).deliveries()).singleElement()
        .satisfies(d -> assertThat(d.receiveCount()).isEqualTo(2));
    clock.advance(Duration.ofSeconds(30));
    Queue.Received third = queue.receive(1, Duration.ofSeconds(30), 3, 2);
    assertThat(third.dead()).extracting(StoredMessage::body).containsExactly("first");
    assertThat(third.deliveries()).extracting(d -> d.message().body()).containsExactly("second");
  }

  private Queue fifoQueue(List<StoredDedup> dedups) {
    return fifoQueue(dedups, 0);
  }

  private Queue fifoQueue(List<StoredDedup> dedups, long nowMillis) {
    return new Queue(new StoredQueue("q.fifo", Instant.EPOCH, QueueSettings.defaults(true), Map.of()), clock, List.of(), dedups,
        nowMillis);
  }

  private List<Queue.Delivery> receive(int max, long nowMillis) {
    return queue.receive(max, Duration.ofSeconds(30), nowMillis, 0).deliveries();
  }

  private static StoredMessage message(long seq, String body) {
    return new StoredMessage("id-" + seq, seq, body, SqsApi.md5(body), 0, new JsonObject());
  }
}
