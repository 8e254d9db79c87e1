package io.quiesce.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counting a request is on every request's path: it must not allocate. */
class RequestStatsAllocationTest {

  @Test
  void recordingARequestAllocatesNothing() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    // HotSpot measures allocation per thread; a JVM that cannot would make this test meaningless.
    assertThat(threads.isThreadAllocatedMemorySupported()).as("per-thread allocation measurable").isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    ManualClock clock = new ManualClock();
    RequestStats stats = new RequestStats(clock, Duration.ofMinutes(5));
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile the path
      stats.record(i % 7 == 0, i * 1_000L);
    }

    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 200_000; i++) {
      stats.record(i % 7 == 0, i * 1_000L);
      if (i % 10_000 == 0) {
        clock.advance(Duration.ofSeconds(5)); // bucket changes included
      }
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;

    // The clock's own bookkeeping aside, a few hundred bytes at most: not 200 000 requests' worth.
    assertThat(allocated).as("bytes allocated by 200 000 recordings").isLessThan(1024);
  }
}
