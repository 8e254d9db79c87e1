package io.quiesce.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-thread counters merged when read: nothing lost, percentiles within their stated error. */
class RequestStatsTest {

  @Test
  void bucketsCoverEveryLatencyInOrderAndTheirMiddleIsWithinOneSixtyFourth() {
    int last = 0;
    for (long micros = 1; micros < (1L << 32); micros = micros < 5000 ? micros + 1 : micros + micros / 997) {
      int b = RequestStats.bucketOf(micros);
      assertThat(b).as("bucket of %d µs", micros).isBetween(last, last + 1).isLessThan(RequestStats.LATENCY_BUCKETS);
      last = b;
      assertThat(Math.abs(RequestStats.middleOf(b) - micros)).as("error at %d µs", micros).isLessThanOrEqualTo(micros / 64.0);
    }
    assertThat(RequestStats.bucketOf((1L << 32) - 1)).isEqualTo(RequestStats.LATENCY_BUCKETS - 1);
  }

  @Test
  void requestsRecordedOnManyThreadsAreAllCountedAndMergedIntoOnePercentile() throws Exception {
    ManualClock clock = new ManualClock();
    RequestStats stats = new RequestStats(clock, Duration.ofMinutes(5));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      Thread th = new Thread(() -> {
        for (int i = 1; i <= 25_000; i++) {
          // thread t records latencies t, t+4, t+8 ... ms: together 1..100 000 distinct values
          stats.record(i % 10 == 0, (4L * (i - 1) + offset + 1) * 1_000_000L);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }

    RequestStats.Snapshot s = stats.snapshot();

    assertThat(s.requests()).isEqualTo(100_000);
    assertThat(s.errors()).isEqualTo(10_000);
    assertThat(s.window()).isEqualTo(new ErrorRateWindow.Counts(100_000, 10_000));
    assertThat(s.averageMillis()).isBetween(50_000.0, 50_001.0); // mean of 1..100 000 ms, exact
    assertThat(s.p99Millis()).isBetween(99_000 * (1 - 1 / 64.0), 99_000 * (1 + 1 / 64.0));
  }

  @Test
  void countsAreExactWhenOnlyASampleOfRequestsIsTimed() {
    RequestStats stats = new RequestStats(new ManualClock(), Duration.ofMinutes(5));
    RequestStats.Recorder r = stats.recorder();
    for (int i = 0; i < 160; i++) {
      r.count(i % 2 == 0);
      if (i % 16 == 0) {
        r.time(2_000_000);
      }
    }

    RequestStats.Snapshot s = stats.snapshot();
    assertThat(s.requests()).isEqualTo(160);
    assertThat(s.errors()).isEqualTo(80);
    assertThat(s.averageMillis()).isEqualTo(2.0);
  }

  @Test
  void thePercentileIsNeverAboveTheLargestLatencyRecorded() {
    RequestStats stats = new RequestStats(new ManualClock(), Duration.ofMinutes(5));
    stats.record(false, 70_000_000); // 70 ms: the middle of its bucket would be higher

    assertThat(stats.snapshot().p99Millis()).isEqualTo(70.0);
  }

  /** The window is kept by its readers: what was counted before a read at least a window ago is out. */
  @Test
  void theErrorWindowForgetsWhatSlidOutOfIt() {
    ManualClock clock = new ManualClock();
    RequestStats stats = new RequestStats(clock, Duration.ofMinutes(5));
    stats.record(true, 1_000);
    assertThat(stats.window()).isEqualTo(new ErrorRateWindow.Counts(1, 1)); // the runtime reads it every 5 s
    clock.advance(Duration.ofMinutes(3));
    stats.record(false, 1_000);
    assertThat(stats.window()).isEqualTo(new ErrorRateWindow.Counts(2, 1));

    clock.advance(Duration.ofMinutes(3));

    assertThat(stats.window()).isEqualTo(new ErrorRateWindow.Counts(1, 0));
    assertThat(stats.totalRequests()).isEqualTo(2);
    assertThat(stats.totalErrors()).isEqualTo(1);
  }
}
