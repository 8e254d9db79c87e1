package io.quiesce.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Busy threads that keep every core of the machine occupied, bounded in time: what a test runs under
 * to see how a drain does when the server and its clients get the CPU late (a loaded CI machine, a
 * laptop compiling). {@link #close()} stops them; they stop by themselves at the bound.
 */
final class CpuSaturation implements AutoCloseable {

  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  private CpuSaturation(int count, Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> {
        long x = 1;
        while (!stop && System.nanoTime() < end) {
          for (int j = 0; j < 10_000; j++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
          }
        }
        if (x == 42) {
          System.out.print(""); // keeps the loop from being optimized away
        }
      }, "busy-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /** {@code perCore} busy threads for each available processor, for at most {@code limit}. */
  static CpuSaturation start(int perCore, Duration limit) {
    return new CpuSaturation(perCore * Runtime.getRuntime().availableProcessors(), limit);
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join();
    }
  }
}
