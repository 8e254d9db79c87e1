package io.quiesce.health;

import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests and errors over a sliding time window: a fixed ring of time buckets, each two counters
 * and the bucket's number. Memory is fixed at construction, however many requests pass.
 *
 * <p>{@link #record(boolean)} takes no lock and allocates nothing: it reads the clock, and when
 * the bucket it lands in still holds an older period, one compare-and-set claims it and resets its
 * counters. A request recorded by another thread in the instant between that claim and the reset
 * may be lost; the rate is a statistic, and that loss is at most a few requests per bucket change.
 * The window moves in steps of one bucket ({@code window / buckets}).
 */
public final class ErrorRateWindow {

  /** Requests and errors counted in the window. */
  public record Counts(long requests, long errors) {
    /** Errors as a share of requests, 0 when there were none. */
    public double rate() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  private static final class Bucket {
    final AtomicLong period = new AtomicLong(Long.MIN_VALUE);
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
  }

  private final RuntimeClock clock;
  private final Bucket[] buckets;
  private final long bucketNanos;

  /** A window of {@code window} split into {@code buckets} buckets. */
  public ErrorRateWindow(RuntimeClock clock, Duration window, int buckets) {
    if (buckets < 1 || window.toNanos() < buckets) {
      throw new IllegalArgumentException("need at least one bucket of at least 1 ns: " + window + " / " + buckets);
    }
    this.clock = clock;
    this.bucketNanos = window.toNanos() / buckets;
    this.buckets = new Bucket[buckets];
    for (int i = 0; i < buckets; i++) {
      this.buckets[i] = new Bucket();
    }
  }

  /** Counts one request, and one error if {@code error}. Lock-free, allocation-free. */
  public void record(boolean error) {
    long period = Math.floorDiv(clock.nanoTime(), bucketNanos);
    Bucket b = buckets[(int) Math.floorMod(period, (long) buckets.length)];
    long seen = b.period.get();
    if (seen < period && b.period.compareAndSet(seen, period)) {
      b.requests.reset();
      b.errors.reset();
    }
    b.requests.increment();
    if (error) {
      b.errors.increment();
    }
  }

  /** What the window holds now: the buckets of the last {@code window}, the current one included. */
  public Counts counts() {
    long now = Math.floorDiv(clock.nanoTime(), bucketNanos);
    long requests = 0;
    long errors = 0;
    for (Bucket b : buckets) {
      long p = b.period.get();
      if (p > now - buckets.length && p <= now) {
        requests += b.requests.sum();
        errors += b.errors.sum();
      }
    }
    return new Counts(requests, errors);
  }
}
