package io.quiesce.bench.jmh;

import io.quiesce.drain.WorkTracker;
import io.quiesce.http.health.HealthRoutes;
import io.quiesce.http.tracking.RequestTracker;
import java.time.Duration;
import java.util.List;
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
 * same counter), and {@link RequestTracker}'s whole admitted path (exempt-prefix test, enter,
 * end-handler registration, exit). Run with {@code -prof gc} to see bytes allocated per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TrackingBenchmark {

  private WorkTracker tracker;
  private RequestTracker handler;

  @Setup
  public void setUp() {
    tracker = new WorkTracker();
    tracker.open();
    handler = new RequestTracker(tracker, List.of(HealthRoutes.PREFIX), Duration.ofSeconds(1));
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

  /** Per-thread routing context: the stub is single-threaded, like a request on its event loop. */
  @State(Scope.Thread)
  public static class Request {
    StubRoutingContext ctx;

    @Setup(Level.Trial)
    public void setUp() {
      ctx = new StubRoutingContext("/bucket/some/object/key");
    }
  }

  /** RequestTracker's admitted path for an ordinary (not exempt) request, end handler included. */
  @Benchmark
  public Object requestTrackerAdmitted(Request r) {
    handler.handle(r.ctx);
    return r.ctx;
  }

  /** The same handler from two threads sharing the tracker. */
  @Benchmark
  @Threads(2)
  public Object requestTrackerAdmittedTwoThreads(Request r) {
    handler.handle(r.ctx);
    return r.ctx;
  }
}
