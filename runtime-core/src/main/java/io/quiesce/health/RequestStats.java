package io.quiesce.health;

import io.quiesce.time.RuntimeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts handled requests: totals since start, the sliding error window, and handler latency.
 *
 * <p>{@link #record} is the per-request path: no lock, no allocation, and no write that another
 * thread also writes. Each thread that records gets its own fixed set of counters (a "shard":
 * totals, a latency histogram, a ring of error-window buckets) on its first record; only that
 * thread writes them, with opaque stores, so they are plain stores on the request path and no
 * cache line moves between event loops. Readers ({@link #snapshot()}, {@link #window()}, the
 * totals) add the shards up; a figure read while requests are being recorded may be a few
 * requests behind, never torn. A shard lives as long as this object, also after its thread ends.
 *
 * <p>Latency is kept in microseconds, 1 µs to about 71 minutes (longer counts as the maximum), in
 * log-linear buckets: exact below 64 µs, then 32 buckets per power of two, so a percentile is the
 * middle of a bucket at most 1/64 (1.6 %) from the true value, and never above the largest
 * latency recorded. The mean is exact. About 7 KiB per recording thread.
 */
public final class RequestStats {

  /** What {@code /health} shows about requests. Latencies are since start, in milliseconds. */
  public record Snapshot(long requests, long errors, ErrorRateWindow.Counts window, double averageMillis,
      double p99Millis) {}

  private static final int SUB_BITS = 5; // 32 buckets per power of two
  private static final int SUB = 1 << SUB_BITS;
  private static final int EXACT = 2 * SUB; // values below this have a bucket each
  private static final long MAX_MICROS = (1L << 32) - 1;
  static final int LATENCY_BUCKETS = EXACT + (32 - SUB_BITS - 1) * SUB;
  private static final int WINDOW_BUCKETS = 60;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final RuntimeClock clock;
  private final long bucketNanos;
  private final CopyOnWriteArrayList<Shard> shards = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Shard> mine = ThreadLocal.withInitial(this::newShard);

  /** Error window of {@code window}, in 60 buckets (5 s each for the default 5 minutes). */
  public RequestStats(RuntimeClock clock, Duration window) {
    if (window.toNanos() < WINDOW_BUCKETS) {
      throw new IllegalArgumentException("error window too short: " + window);
    }
    this.clock = clock;
    this.bucketNanos = window.toNanos() / WINDOW_BUCKETS;
  }

  /** Now on the clock this counts with: take a request's start time from here. */
  public long nanoTime() {
    return clock.nanoTime();
  }

  /** Counts one handled request that took {@code latencyNanos}; {@code error} for a server error. */
  public void record(boolean error, long latencyNanos) {
    record(error, latencyNanos, clock.nanoTime());
  }

  /**
   * The same, for a caller that has just read {@link #nanoTime()} (as {@code nowNanos}) to compute
   * the latency: saves a second clock read.
   */
  public void record(boolean error, long latencyNanos, long nowNanos) {
    mine.get().record(error, latencyNanos, nowNanos);
  }

  /** Requests handled since start; cheap, for heartbeats and metrics. */
  public long totalRequests() {
    long n = 0;
    for (Shard s : shards) {
      n += get(s.totals, REQUESTS);
    }
    return n;
  }

  /** Server errors since start; cheap, for heartbeats and metrics. */
  public long totalErrors() {
    long n = 0;
    for (Shard s : shards) {
      n += get(s.totals, ERRORS);
    }
    return n;
  }

  /** The error window alone, cheaper than {@link #snapshot()}. */
  public ErrorRateWindow.Counts window() {
    long now = Math.floorDiv(clock.nanoTime(), bucketNanos);
    long requests = 0;
    long errors = 0;
    for (Shard s : shards) {
      for (int i = 0; i < WINDOW_BUCKETS; i++) {
        long p = (long) LONGS.getAcquire(s.period, i);
        if (p > now - WINDOW_BUCKETS && p <= now) {
          requests += get(s.windowRequests, i);
          errors += get(s.windowErrors, i);
        }
      }
    }
    return new ErrorRateWindow.Counts(requests, errors);
  }

  public Snapshot snapshot() {
    long[] merged = new long[LATENCY_BUCKETS];
    long requests = 0;
    long errors = 0;
    long count = 0;
    long sumMicros = 0;
    long maxMicros = 0;
    for (Shard s : shards) {
      requests += get(s.totals, REQUESTS);
      errors += get(s.totals, ERRORS);
      sumMicros += get(s.totals, SUM_MICROS);
      maxMicros = Math.max(maxMicros, get(s.totals, MAX));
      for (int i = 0; i < LATENCY_BUCKETS; i++) {
        long c = get(s.latency, i);
        merged[i] += c;
        count += c;
      }
    }
    double avg = count == 0 ? 0 : sumMicros / (double) count / 1000.0;
    double p99 = count == 0 ? 0 : Math.min(valueAt(merged, count, 0.99), maxMicros) / 1000.0;
    return new Snapshot(requests, errors, window(), avg, p99);
  }

  /** The bucket a latency in microseconds falls in. */
  static int bucketOf(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int exp = 63 - Long.numberOfLeadingZeros(micros); // >= SUB_BITS + 1
    int sub = (int) (micros >>> (exp - SUB_BITS)) & (SUB - 1);
    return EXACT + (exp - SUB_BITS - 1) * SUB + sub;
  }

  /** The middle of a bucket, in microseconds. */
  static double middleOf(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int k = bucket - EXACT;
    int exp = k / SUB + SUB_BITS + 1;
    long width = 1L << (exp - SUB_BITS);
    long lowest = (long) (SUB + k % SUB) << (exp - SUB_BITS);
    return lowest + (width - 1) / 2.0;
  }

  private static double valueAt(long[] buckets, long count, double quantile) {
    long rank = Math.max(1, (long) Math.ceil(quantile * count));
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return middleOf(i);
      }
    }
    return middleOf(buckets.length - 1);
  }

  private static long get(long[] a, int i) {
    return (long) LONGS.getOpaque(a, i);
  }

  private Shard newShard() {
    Shard s = new Shard();
    shards.add(s);
    return s;
  }

  private static final int REQUESTS = 0;
  private static final int ERRORS = 1;
  private static final int SUM_MICROS = 2;
  private static final int MAX = 3;

  /** One thread's counters: written by that thread only (opaque stores), read by anyone. */
  private final class Shard {
    final long[] totals = new long[4];
    final long[] latency = new long[LATENCY_BUCKETS];
    final long[] period = new long[WINDOW_BUCKETS];
    final long[] windowRequests = new long[WINDOW_BUCKETS];
    final long[] windowErrors = new long[WINDOW_BUCKETS];

    Shard() {
      java.util.Arrays.fill(period, Long.MIN_VALUE);
    }

    void record(boolean error, long latencyNanos, long nowNanos) {
      long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1_000));
      bump(totals, REQUESTS);
      LONGS.setOpaque(totals, SUM_MICROS, totals[SUM_MICROS] + micros);
      if (micros > totals[MAX]) {
        LONGS.setOpaque(totals, MAX, micros);
      }
      bump(latency, bucketOf(micros));
      long p = Math.floorDiv(nowNanos, bucketNanos);
      int w = (int) Math.floorMod(p, (long) WINDOW_BUCKETS);
      if (period[w] != p) {
        // A new period for this slot: clear the counts first, so a reader that sees the new
        // period never sees the old period's counts with it.
        LONGS.setOpaque(windowRequests, w, 0L);
        LONGS.setOpaque(windowErrors, w, 0L);
        LONGS.setRelease(period, w, p);
      }
      bump(windowRequests, w);
      if (error) {
        bump(totals, ERRORS);
        bump(windowErrors, w);
      }
    }

    private void bump(long[] a, int i) {
      LONGS.setOpaque(a, i, a[i] + 1);
    }
  }
}
