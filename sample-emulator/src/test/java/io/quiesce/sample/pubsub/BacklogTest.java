package io.quiesce.sample.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import io.quiesce.time.ManualClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ack deadlines on a manual clock: a delivered message comes back exactly when its deadline passes, unless acknowledged. */
class BacklogTest {

  private final ManualClock clock = new ManualClock();
  private final Backlog backlog = new Backlog(clock);
  private final AtomicInteger wakeups = new AtomicInteger();

  BacklogTest() {
    Map<Long, PubsubMessage> messages = new LinkedHashMap<>();
    messages.put(7L, message("first"));
    messages.put(8L, message("second"));
    backlog.add(messages);
    backlog.onReady(wakeups::incrementAndGet);
  }

  @Test
  void aLeasedMessageIsDeliveredAgainWhenItsDeadlinePassesAndTheStreamsAreWoken() {
    List<ReceivedMessage> first = backlog.lease(1, Duration.ofSeconds(10));
    assertThat(first).extracting(r -> r.getMessage().getData().toStringUtf8()).containsExactly("first");
    assertThat(first.get(0).getDeliveryAttempt()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(9));
    assertThat(backlog.lease(10, Duration.ofSeconds(10))).extracting(r -> r.getMessage().getData().toStringUtf8())
        .containsExactly("second");
    assertThat(wakeups).hasValue(0);

    clock.advance(Duration.ofSeconds(1));
    assertThat(wakeups).as("the expiry timer told the streams").hasValue(1);
    List<ReceivedMessage> again = backlog.lease(10, Duration.ofSeconds(10));
    assertThat(again).extracting(r -> r.getMessage().getData().toStringUtf8()).containsExactly("first");
    assertThat(again.get(0).getDeliveryAttempt()).isEqualTo(2);
    assertThat(again.get(0).getAckId()).isNotEqualTo(first.get(0).getAckId());
  }

  @Test
  void anAcknowledgedMessageNeverComesBackAndItsSeqIsReportedOnce() {
    ReceivedMessage r = backlog.lease(1, Duration.ofSeconds(10)).get(0);
    assertThat(backlog.acknowledge(List.of(r.getAckId()))).containsExactly(7L);
    assertThat(backlog.acknowledge(List.of(r.getAckId()))).as("acknowledged twice: nothing left to remove").isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(backlog.lease(10, Duration.ofSeconds(10))).extracting(m -> m.getMessage().getData().toStringUtf8())
        .containsExactly("second");
    assertThat(backlog.size()).isEqualTo(1);
  }

  @Test
  void extendingTheDeadlineKeepsTheLeaseAndAStaleAckIdChangesNothing() {
    ReceivedMessage r = backlog.lease(1, Duration.ofSeconds(10)).get(0);
    clock.advance(Duration.ofSeconds(8));
    backlog.modifyDeadline(List.of(r.getAckId()), Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(29));
    assertThat(backlog.lease(10, Duration.ofSeconds(10))).extracting(m -> m.getMessage().getData().toStringUtf8())
        .containsExactly("second");
    clock.advance(Duration.ofSeconds(1));
    ReceivedMessage again = backlog.lease(1, Duration.ofSeconds(10)).get(0);
    assertThat(again.getMessage().getData().toStringUtf8()).isEqualTo("first");

    backlog.modifyDeadline(List.of(r.getAckId()), Duration.ZERO); // the first delivery's id: expired
    assertThat(backlog.lease(10, Duration.ofSeconds(10))).isEmpty();
    backlog.modifyDeadline(List.of(again.getAckId()), Duration.ZERO); // a nack of the current delivery
    assertThat(backlog.lease(10, Duration.ofSeconds(10))).extracting(m -> m.getMessage().getData().toStringUtf8())
        .containsExactly("first");
  }

  @Test
  void anAckIdThisEmulatorDidNotGiveOutIsInvalidArgument() {
    assertThatThrownBy(() -> backlog.acknowledge(List.of("projects/x"))).isInstanceOf(PubSubError.class)
        .hasMessageContaining("Invalid ack ID \"projects/x\"");
  }

  private static PubsubMessage message(String data) {
    return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
  }
}
