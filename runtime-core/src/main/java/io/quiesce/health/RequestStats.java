package io.quiesce.health;

import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts handled requests: totals since start, the sliding error window, and handler latency.
 *
 * <p>{@link #record} is the per-request path: lock-free and allocation-free. Latency goes into an
 * HdrHistogram {@link Recorder} (wait-free recording into a fixed array, 2 significant digits,
 * 1 µs to 1 h; longer values count as 1 h). The reader side ({@link #snapshot()}) folds the
 * recorder's interval into a running total under a lock only readers take.
 */
public final class RequestStats {

  /** What {@code /health} shows about requests. Latencies are since start, in milliseconds. */
  public record Snapshot(long requests, long errors, ErrorRateWindow.Counts window, double averageMillis,
      double p99Millis) {}

  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private final RuntimeClock clock;
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final ErrorRateWindow window;
  private final Recorder latency = new Recorder(MAX_MICROS, 2);
  private final Histogram total = new Histogram(MAX_MICROS, 2); // guarded by itself
  private final Histogram interval = new Histogram(MAX_MICROS, 2); // guarded by total

  /** Error window of {@code window}, in 60 buckets (5 s each for the default 5 minutes). */
  public RequestStats(RuntimeClock clock, Duration window) {
    this.clock = clock;
    this.window = new ErrorRateWindow(clock, window, 60);
  }

  /** Now on the clock this counts with: take a request's start time from here. */
  public long nanoTime() {
    return clock.nanoTime();
  }

  /** Counts one handled request that took {@code latencyNanos}; {@code error} for a server error. */
  public void record(boolean error, long latencyNanos) {
    requests.increment();
    if (error) {
      errors.increment();
    }
    window.record(error);
    long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1_000));
    latency.recordValue(micros);
  }

  /** Requests handled since start; cheap, for heartbeats and metrics. */
  public long totalRequests() {
    return requests.sum();
  }

  /** Server errors since start; cheap, for heartbeats and metrics. */
  public long totalErrors() {
    return errors.sum();
  }

  /** The error window alone, cheaper than {@link #snapshot()}. */
  public ErrorRateWindow.Counts window() {
    return window.counts();
  }

  public Snapshot snapshot() {
    double avg;
    double p99;
    synchronized (total) {
      latency.getIntervalHistogramInto(interval);
      total.add(interval);
      boolean none = total.getTotalCount() == 0;
      avg = none ? 0 : total.getMean() / 1000.0;
      p99 = none ? 0 : total.getValueAtPercentile(99) / 1000.0;
    }
    return new Snapshot(requests.sum(), errors.sum(), window.counts(), avg, p99);
  }
}
