package io.quiesce.http.tracking;

import io.netty.util.concurrent.FastThreadLocal;
import io.quiesce.drain.WorkTracker;
import io.quiesce.health.RequestStats;
import io.quiesce.http.drain.HttpDrain;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * In front of the emulator's router: counts each request in the {@link WorkTracker} until its
 * exchange is over or its connection closed, and answers 503 when the tracker refuses work (before
 * startup completes, and once drain reaches its refusing step).
 *
 * <p>It has no list of exempt paths: the runtime's own routes (health, metrics, lifecycle) are on a
 * router of their own, which {@code RuntimeDispatch} chooses by the same normalized path the
 * routers match on, and end their response there; every other request comes here, then to the
 * emulator's router. Requests with dot segments never get here (see {@code DotSegments}).
 *
 * <p>Each admitted request is also counted in {@link RequestStats} (a response with a 5xx status
 * counts as an error): that is what the health error rate is made of. One request in
 * {@value #TIME_ONE_IN} per event loop is also timed for the health latency figures: a clock
 * read costs about 50 ns on this project's VMs, two per request would be most of what tracking
 * costs.
 *
 * <p>A WebSocket upgrade is a request like any other (so it is refused once refusing) until its
 * {@code 101} is written; from then on it is a connection, which the HTTP drain holds until its
 * closing handshake is done, not a request in flight.
 *
 * <p>A request's end is told by its connection ({@link ExchangeEnds}, in the runtime {@link
 * HttpDrain#tellWhenAnswered}: on HTTP/1.x the connection's guard, which sees every answer go down
 * the pipeline; on HTTP/2 the stream's close). Not a route and not a response end handler: a route
 * costs every request vert.x-web's route iteration, and vert.x-web's end handlers live in the
 * response's single handler slots, so an application handler that sets the response's own end
 * handler replaces them, a tracker's with them — the end never told, and drain waiting on it until
 * its deadline.
 *
 * <p>The admitted path is the tracker's two uncontended adds, one thread-local look-up (an array
 * slot on an event loop) and the registration of a reusable {@code Timing} slot taken from a pool
 * confined to the current thread (its {@code Loop}), which also holds that thread's statistics
 * recorder: it allocates nothing per request in the steady state and writes nothing that another
 * event loop writes. A pool grows only to the most requests a thread has had in flight at once.
 */
public final class RequestTracker implements Handler<HttpServerRequest> {

  /** One request in this many (per event loop) is timed. */
  static final int TIME_ONE_IN = 16;
  private static final int MAX_POOLED = 4096;

  /**
   * How a request's end is learned: tells {@code whenOver} once {@code request}'s exchange is over
   * or its connection gone, exactly once; false, telling nothing, if it cannot.
   */
  @FunctionalInterface
  public interface ExchangeEnds {
    boolean tellWhenOver(HttpServerRequest request, Runnable whenOver);
  }

  private static final Logger LOG = LogManager.getLogger(RequestTracker.class);

  private final WorkTracker work;
  private final Handler<HttpServerRequest> next;
  private final ExchangeEnds ends;
  private final String retryAfterSeconds;
  private final RequestStats stats;
  // Netty's thread-local: on an event loop thread an array slot, where a ThreadLocal is a hash probe
  // that the many thread-locals of Netty, Vert.x and log4j make miss often.
  private final FastThreadLocal<Loop> loops = new FastThreadLocal<>() {
    @Override
    protected Loop initialValue() {
      return new Loop(stats.recorder());
    }
  };
  private volatile boolean untellable; // warned once
  // Counted on the refusal path only, never on the admitted one.
  private final LongAdder refusedDraining = new LongAdder();
  private final LongAdder refusedStarting = new LongAdder();

  /**
   * Tracks the requests it hands on to {@code next} (the emulator's router), learning their ends
   * from {@code ends}; refused ones are answered 503 with a {@code Retry-After} of
   * {@code retryAfter}.
   */
  public RequestTracker(WorkTracker work, RequestStats stats, Duration retryAfter, Handler<HttpServerRequest> next,
      ExchangeEnds ends) {
    this.work = work;
    this.next = next;
    this.ends = ends;
    this.stats = stats;
    // Retry-After takes whole seconds; round up so that "500ms" does not become "retry now".
    this.retryAfterSeconds = Long.toString(Math.max(0, (retryAfter.toMillis() + 999) / 1000));
  }

  /** What one thread (an event loop) keeps: free end callbacks, its recorder, its sampling count. */
  private static final class Loop {
    final Thread thread = Thread.currentThread();
    final ArrayDeque<Timing> free = new ArrayDeque<>();
    final RequestStats.Recorder recorder;
    int untilTimed = 1; // the first request of a thread is timed

    Loop(RequestStats.Recorder recorder) {
      this.recorder = recorder;
    }
  }

  /** One request in flight, told when it is over; reused once that request has ended. */
  private final class Timing implements Runnable {
    private final Loop loop;
    private HttpServerRequest request;
    private boolean timed;
    private long startNanos;

    Timing(Loop loop) {
      this.loop = loop;
    }

    @Override
    public void run() {
      HttpServerRequest r = request;
      request = null;
      try {
        // A connection tells on its own event loop, the thread that began the request; should one
        // ever tell elsewhere, the counters of that other thread take it (a recorder has one writer).
        boolean home = Thread.currentThread() == loop.thread;
        RequestStats.Recorder recorder = home ? loop.recorder : stats.recorder();
        recorder.count(isServerError(r.response().getStatusCode()));
        if (timed) {
          recorder.time(stats.nanoTime() - startNanos);
        }
        if (home && loop.free.size() < MAX_POOLED) {
          loop.free.push(this);
        }
      } finally {
        work.exit();
      }
    }
  }

  /** 5xx but 501: "not implemented" says the emulator lacks something, not that it failed. */
  static boolean isServerError(int status) {
    return status >= 500 && status != 501;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (!work.tryEnter()) {
      refuse(request);
      return;
    }
    Loop loop = loops.get();
    Timing timing = loop.free.poll();
    if (timing == null) {
      timing = new Timing(loop);
    }
    timing.request = request;
    if (--loop.untilTimed == 0) {
      loop.untilTimed = TIME_ONE_IN;
      timing.timed = true;
      timing.startNanos = stats.nanoTime();
    } else {
      timing.timed = false;
    }
    if (!ends.tellWhenOver(request, timing)) {
      // Not from a connection the runtime's server set up: nothing can tell its end, so it is not
      // held in flight (counted as over at once) rather than held until the drain's deadline.
      if (!untellable) {
        untellable = true;
        LOG.warn("A request came from a connection that cannot tell when it is over ({} {}); such requests are not"
            + " waited for by drain", request.version(), request.uri());
      }
      timing.run();
    }
    next.handle(request);
  }

  /** Requests answered 503 because drain had reached its refusing step. */
  public long refusedWhileDraining() {
    return refusedDraining.sum();
  }

  /** Requests answered 503 because startup had not completed. */
  public long refusedWhileStarting() {
    return refusedStarting.sum();
  }

  private void refuse(HttpServerRequest request) {
    boolean draining = work.isDraining();
    (draining ? refusedDraining : refusedStarting).increment();
    JsonObject body = new JsonObject()
        .put("error", draining ? "draining" : "starting")
        .put("message", draining
            ? "The server is shutting down and accepts no new requests; retry against another instance or after restart."
            : "The server is still starting; retry shortly.");
    var response = request.response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    // No Connection header here: the connection guard decided, when it decoded this request
    // during drain, that this exchange is the connection's last, and Vert.x answers it with
    // Connection: close and closes after the response (having read any body: no reset).
    if (!request.isEnded()) {
      request.resume(); // discard an unread body so the connection can close cleanly after it
    }
    response.end(body.toBuffer());
  }
}
