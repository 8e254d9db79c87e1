package io.quiesce.health;

import io.quiesce.time.RuntimeClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts handled requests: totals since start, the sliding error window, and handler latency.
 *
 * <p>The per-request path ({@link Recorder}) takes no lock, allocates nothing, reads no clock and
 * writes nothing that another thread writes: each recording thread has its own fixed set of
 * counters (a {@link Recorder}: totals and a latency histogram), written by that thread alone
 * with opaque stores — plain stores on x86 — so no cache line moves between event loops. Readers
 * add the recorders up; a figure read while requests are recorded may be a few requests behind,
 * never torn. A recorder lives as long as this object, also after its thread ends.
 *
 * <p>Latency is kept in microseconds, 1 µs to about 71 minutes (longer counts as the maximum), in
 * log-linear buckets: exact below 64 µs, then 32 buckets per power of two, so a percentile is the
 * middle of a bucket at most 1/64 (1.6 %) from the true value, and never above the largest
 * latency recorded; the mean is exact. About 7 KiB per recording thread. A caller may time only
 * a sample of its requests ({@code System.nanoTime()} costs about 50 ns on this project's VMs, as
 * much as all the rest of a request's tracking): latency figures are then those of the sample,
 * counts are always exact.
 *
 * <p>The error window is kept on the reader's side, so that recording needs no clock: each read
 * ({@link #window()}, {@link #snapshot()}) notes the totals at most once per 1/60 of the window,
 * and the window is "now minus the newest note at least one window old". The runtime reads it on
 * a timer of that period, so the window covers the last {@code window} plus at most one period.
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
  private static final int WINDOW_STEPS = 60;
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final RuntimeClock clock;
  private final long windowNanos;
  private final long stepNanos;
  private final CopyOnWriteArrayList<Recorder> recorders = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Recorder> mine = ThreadLocal.withInitial(this::newRecorder);
  private final ArrayDeque<long[]> notes = new ArrayDeque<>(); // {nanos, requests, errors}; guarded by itself

  /** An error window of {@code window}, moving in steps of 1/60 of it (5 s for 5 minutes). */
  public RequestStats(RuntimeClock clock, Duration window) {
    if (window.toNanos() < WINDOW_STEPS) {
      throw new IllegalArgumentException("error window too short: " + window);
    }
    this.clock = clock;
    this.windowNanos = window.toNanos();
    this.stepNanos = windowNanos / WINDOW_STEPS;
  }

  /** How often the window should be read ({@link #window()}) for it to move in even steps. */
  public Duration windowStep() {
    return Duration.ofNanos(stepNanos);
  }

  /** Now on the clock this counts with: take a request's start time from here. */
  public long nanoTime() {
    return clock.nanoTime();
  }

  /**
   * The calling thread's recorder. It must only be used on this thread; a thread that keeps it
   * (an event loop) saves a thread-local look-up per request.
   */
  public Recorder recorder() {
    return mine.get();
  }

  /** Counts one handled request that took {@code latencyNanos}; {@code error} for a server error. */
  public void record(boolean error, long latencyNanos) {
    Recorder r = mine.get();
    r.count(error);
    r.time(latencyNanos);
  }

  /** Requests handled since start; cheap, for heartbeats and metrics. */
  public long totalRequests() {
    long n = 0;
    for (Recorder r : recorders) {
      n += get(r.totals, REQUESTS);
    }
    return n;
  }

  /** Server errors since start; cheap, for heartbeats and metrics. */
  public long totalErrors() {
    long n = 0;
    for (Recorder r : recorders) {
      n += get(r.totals, ERRORS);
    }
    return n;
  }

  /** Requests and errors in the window (see the class comment); also notes the totals. */
  public ErrorRateWindow.Counts window() {
    long errors = totalErrors(); // errors first: a request counted here is counted below too
    long requests = totalRequests();
    long now = clock.nanoTime();
    synchronized (notes) {
      long[] newest = notes.peekLast();
      if (newest == null || now - newest[0] >= stepNanos) {
        notes.addLast(new long[] {now, requests, errors});
      }
      long windowStart = now - windowNanos;
      while (notes.size() >= 2 && secondOldest()[0] <= windowStart) {
        notes.removeFirst(); // the second oldest is old enough to be the baseline
      }
      long[] oldest = notes.peekFirst();
      if (oldest[0] <= windowStart) {
        return new ErrorRateWindow.Counts(requests - oldest[1], Math.max(0, errors - oldest[2]));
      }
      return new ErrorRateWindow.Counts(requests, errors); // everything counted so far is recent
    }
  }

  private long[] secondOldest() {
    var it = notes.iterator();
    it.next();
    return it.next();
  }

  public Snapshot snapshot() {
    long[] merged = new long[LATENCY_BUCKETS];
    long timed = 0;
    long sumMicros = 0;
    long maxMicros = 0;
    for (Recorder r : recorders) {
      sumMicros += get(r.totals, SUM_MICROS);
      maxMicros = Math.max(maxMicros, get(r.totals, MAX));
      for (int i = 0; i < LATENCY_BUCKETS; i++) {
        long c = get(r.latency, i);
        merged[i] += c;
        timed += c;
      }
    }
    double avg = timed == 0 ? 0 : sumMicros / (double) timed / 1000.0;
    double p99 = timed == 0 ? 0 : Math.min(valueAt(merged, timed, 0.99), maxMicros) / 1000.0;
    ErrorRateWindow.Counts window = window();
    return new Snapshot(totalRequests(), totalErrors(), window, avg, p99);
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

  private Recorder newRecorder() {
    Recorder r = new Recorder();
    recorders.add(r);
    return r;
  }

  private static final int REQUESTS = 0;
  private static final int ERRORS = 1;
  private static final int SUM_MICROS = 2;
  private static final int MAX = 3;

  /**
   * One thread's counters: written by that thread only, read by anyone. Not thread-safe for
   * writing: use the one {@link #recorder()} returns, on the thread it was returned to.
   */
  public static final class Recorder {
    private final long[] totals = new long[4];
    private final long[] latency = new long[LATENCY_BUCKETS];

    private Recorder() {}

    /** Counts one handled request; {@code error} for a server error. */
    public void count(boolean error) {
      bump(totals, REQUESTS);
      if (error) {
        bump(totals, ERRORS);
      }
    }

    /** Adds one request's latency to the histogram (for every request, or a sample of them). */
    public void time(long latencyNanos) {
      long micros = Math.max(1, Math.min(MAX_MICROS, latencyNanos / 1_000));
      LONGS.setOpaque(totals, SUM_MICROS, totals[SUM_MICROS] + micros);
      if (micros > totals[MAX]) {
        LONGS.setOpaque(totals, MAX, micros);
      }
      bump(latency, bucketOf(micros));
    }

    private static void bump(long[] a, int i) {
      LONGS.setOpaque(a, i, a[i] + 1);
    }
  }
}
