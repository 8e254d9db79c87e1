package io.quiesce.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorRateWindowTest {

  private final ManualClock clock = new ManualClock();
  private final ErrorRateWindow window = new ErrorRateWindow(clock, Duration.ofMinutes(5), 60);

  @Test
  void countsRequestsAndErrorsWithinTheWindow() {
    for (int i = 0; i < 8; i++) {
      window.record(false);
    }
    window.record(true);
    window.record(true);

    assertThat(window.counts()).isEqualTo(new ErrorRateWindow.Counts(10, 2));
    assertThat(window.counts().rate()).isEqualTo(0.2);
  }

  @Test
  void anEmptyWindowHasRateZero() {
    assertThat(window.counts().rate()).isZero();
  }

  @Test
  void oldBucketsLeaveTheWindowAsTimePasses() {
    window.record(true);
    clock.advance(Duration.ofMinutes(3));
    window.record(false);

    clock.advance(Duration.ofMinutes(1).plusSeconds(59));
    assertThat(window.counts()).as("both still within 5 minutes").isEqualTo(new ErrorRateWindow.Counts(2, 1));

    clock.advance(Duration.ofSeconds(5));
    assertThat(window.counts()).as("the error is 5 min 4 s old").isEqualTo(new ErrorRateWindow.Counts(1, 0));

    clock.advance(Duration.ofMinutes(5));
    assertThat(window.counts()).isEqualTo(new ErrorRateWindow.Counts(0, 0));
  }

  @Test
  void aReusedBucketStartsFromZero() {
    window.record(true);
    clock.advance(Duration.ofMinutes(5)); // same ring slot, a later period

    window.record(false);

    assertThat(window.counts()).isEqualTo(new ErrorRateWindow.Counts(1, 0));
  }

  @Test
  void memoryDoesNotGrowWithTraffic() {
    // The ring is fixed at construction; a million requests change only counter values.
    for (int i = 0; i < 1_000_000; i++) {
      window.record(i % 4 == 0);
    }
    assertThat(window.counts()).isEqualTo(new ErrorRateWindow.Counts(1_000_000, 250_000));
  }
}
