package io.quiesce.bench.jmh;

import io.quiesce.drain.WorkTracker;
import io.quiesce.health.RequestStats;
import io.quiesce.http.tracking.RequestTracker;
import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request pays for being tracked: {@link WorkTracker}'s enter/exit pair alone, with one
 * thread and with two threads sharing one tracker (both event loops of a 2-core machine hitting the
 * same counter), and {@link RequestTracker}'s whole admitted path (enter, registration of its end
 * callback with the connection, hand-on, exit, and the request statistics the end callback records). Run with {@code -prof gc} to see bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TrackingBenchmark {

  /**
   * System time without Vert.x: a running Vert.x instance's own threads would add their allocation
   * to {@code -prof gc}'s figures. Statistics only read the time; nothing is scheduled.
   */
  private static final RuntimeClock SYSTEM_CLOCK = new RuntimeClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      throw new UnsupportedOperationException("the benchmark schedules nothing");
    }
  };

  private WorkTracker tracker;
  private RequestTracker handler;
  private RequestStats stats;

  @Setup
  public void setUp() {
    tracker = new WorkTracker();
    tracker.open();
    stats = new RequestStats(SYSTEM_CLOCK, Duration.ofMinutes(5));
    // The "router" answers at once, and the stub request stands in for the connection that tells the end.
    handler = new RequestTracker(tracker, stats, Duration.ofSeconds(1), request -> ((StubRequest) request).answer(),
        (request, whenOver) -> ((StubRequest) request).tellWhenOver(whenOver));
  }

  @TearDown
  public void checkBalanced() {
    if (tracker.inFlight() != 0) {
      throw new IllegalStateException("unbalanced enter/exit: " + tracker.inFlight() + " in flight");
    }
  }

  /** One request's worth of tracking on an uncontended tracker. */
  @Benchmark
  public boolean enterExit() {
    boolean admitted = tracker.tryEnter();
    tracker.exit();
    return admitted;
  }

  /** The same pair from two threads on one tracker: the cost when both event loops are busy. */
  @Benchmark
  @Threads(2)
  public boolean enterExitTwoThreads() {
    boolean admitted = tracker.tryEnter();
    tracker.exit();
    return admitted;
  }

  /** The request statistics alone (what RequestTracker's end callback records per request): the part of its cost that is not the tracker's. */
  @Benchmark
  public RequestStats requestStatsRecord() {
    stats.record(false, 1_000_000);
    return stats;
  }

  /** The same from two threads sharing one {@code RequestStats}. */
  @Benchmark
  @Threads(2)
  public RequestStats requestStatsRecordTwoThreads() {
    stats.record(false, 1_000_000);
    return stats;
  }

  /** Per-thread request: the stub is single-threaded, like a request on its event loop. */
  @State(Scope.Thread)
  public static class Request {
    StubRequest request;

    @Setup(Level.Trial)
    public void setUp() {
      request = new StubRequest();
    }
  }

  /** RequestTracker's admitted path for an emulator request, its end included. */
  @Benchmark
  public Object requestTrackerAdmitted(Request r) {
    handler.handle(r.request);
    return r.request;
  }

  /** The same handler from two threads sharing the tracker and the statistics (two event loops). */
  @Benchmark
  @Threads(2)
  public Object requestTrackerAdmittedTwoThreads(Request r) {
    handler.handle(r.request);
    return r.request;
  }
}
