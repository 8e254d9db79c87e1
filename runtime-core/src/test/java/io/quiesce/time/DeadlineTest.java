package io.quiesce.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void remainingShrinksAsTimePassesAndNeverGoesNegative() {
    Deadline deadline = Deadline.after(clock, Duration.ofSeconds(10));
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(4));
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(6));

    clock.advance(Duration.ofSeconds(20));
    assertThat(deadline.remaining()).isZero();
  }

  @Test
  void expiresExactlyAtItsDueTime() {
    Deadline deadline = Deadline.after(clock, Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(deadline.isExpired()).isFalse();

    clock.advance(Duration.ofNanos(1));
    assertThat(deadline.isExpired()).isTrue();
  }

  @Test
  void aZeroBudgetIsExpiredAtOnce() {
    assertThat(Deadline.after(clock, Duration.ZERO).isExpired()).isTrue();
  }

  @Test
  void cappingKeepsTheEarlierOfTheTwo() {
    Deadline deadline = Deadline.after(clock, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(4));

    assertThat(deadline.cappedAt(Duration.ofSeconds(2)).remaining()).isEqualTo(Duration.ofSeconds(2));
    assertThat(deadline.cappedAt(Duration.ofSeconds(20)).remaining()).isEqualTo(Duration.ofSeconds(6));
    assertThat(deadline.cappedAt(Duration.ofSeconds(2)).clock()).isSameAs(clock);
  }
}
