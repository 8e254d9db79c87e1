package io.quiesce.http.tracking;

import io.netty.util.concurrent.FastThreadLocal;
import io.quiesce.drain.WorkTracker;
import io.quiesce.health.RequestStats;
import io.quiesce.http.drain.HttpDrain;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The route in front of every emulator route: counts each request in the {@link WorkTracker}
 * until its response has ended or its connection closed, and answers 503 when the tracker
 * refuses work (before startup completes, and once drain reaches its refusing step).
 *
 * <p>It has no list of exempt paths: the runtime's own routes (health, metrics, lifecycle) are on a
 * router of their own, which {@code RuntimeDispatch} chooses by the same normalized path the
 * routers match on, and end their response there; every other request reaches the emulator's
 * router, whose first route this is. Requests with dot segments never get here (see
 * {@code DotSegments}).
 *
 * <p>Each admitted request is also counted in {@link RequestStats} (a response with a 5xx status
 * counts as an error): that is what the health error rate is made of. One request in
 * {@value #TIME_ONE_IN} per event loop is also timed for the health latency figures: a clock
 * read costs about 50 ns on this project's VMs, two per request would be most of what tracking
 * costs.
 *
 * <p>The admitted path is the tracker's two uncontended adds, one thread-local look-up (an array
 * slot on an event loop) and one end-handler registration with a handler built once: it allocates
 * nothing per request in the steady state and writes nothing that another event loop writes. The
 * end handler is a reusable {@code Timing} slot taken from a pool confined to the current thread
 * (its {@code Loop}), which also holds that thread's statistics recorder; a pool grows only to the
 * most requests a thread has had in flight at once.
 *
 * <p>On HTTP/1.x the end is told by the connection's guard, which sees every answer go down the
 * pipeline ({@link HttpDrain#tellWhenAnswered}): vert.x-web's {@code addEndHandler} makes, on a
 * request's first call, a handler list and three response handlers (about 190 bytes and three
 * locks a request). HTTP/2 streams and pipelined requests use the routing context's end handler.
 */
public final class RequestTracker implements Handler<RoutingContext> {

  /** One request in this many (per event loop) is timed. */
  static final int TIME_ONE_IN = 16;
  private static final int MAX_POOLED = 4096;

  private final WorkTracker work;
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
  // Counted on the refusal path only, never on the admitted one.
  private final LongAdder refusedDraining = new LongAdder();
  private final LongAdder refusedStarting = new LongAdder();

  public RequestTracker(WorkTracker work, RequestStats stats, Duration retryAfter) {
    this.work = work;
    this.stats = stats;
    // Retry-After takes whole seconds; round up so that "500ms" does not become "retry now".
    this.retryAfterSeconds = Long.toString(Math.max(0, (retryAfter.toMillis() + 999) / 1000));
  }

  /** What one thread (an event loop) keeps: free end handlers, its recorder, its sampling count. */
  private static final class Loop {
    final Thread thread = Thread.currentThread();
    final ArrayDeque<Timing> free = new ArrayDeque<>();
    final RequestStats.Recorder recorder;
    int untilTimed = 1; // the first request of a thread is timed

    Loop(RequestStats.Recorder recorder) {
      this.recorder = recorder;
    }
  }

  /** The end handler of one request in flight; reused once that request has ended. */
  private final class Timing implements Handler<AsyncResult<Void>>, Runnable {
    private final Loop loop;
    private RoutingContext ctx;
    private boolean timed;
    private long startNanos;

    Timing(Loop loop) {
      this.loop = loop;
    }

    /** Told by the connection's guard (HTTP/1.x). */
    @Override
    public void run() {
      handle(null);
    }

    /** Told by the routing context's end handler (HTTP/2, pipelined requests). */
    @Override
    public void handle(AsyncResult<Void> ended) {
      RoutingContext c = ctx;
      ctx = null;
      try {
        // Vert.x ends a request on the thread that began it; should one ever end elsewhere, the
        // counters of that other thread take it (a recorder has one writer).
        boolean home = Thread.currentThread() == loop.thread;
        RequestStats.Recorder r = home ? loop.recorder : stats.recorder();
        r.count(isServerError(c.response().getStatusCode()));
        if (timed) {
          r.time(stats.nanoTime() - startNanos);
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
  public void handle(RoutingContext ctx) {
    if (!work.tryEnter()) {
      refuse(ctx.request());
      return;
    }
    HttpServerRequest request = ctx.request();
    if (request.method() == HttpMethod.GET && request.headers().contains(HttpHeaders.UPGRADE)) {
      // A WebSocket is a connection, not a request in flight: admitted like any request (so it is
      // refused once refusing), then held by the HTTP drain until its closing handshake is done.
      work.exit();
      ctx.next();
      return;
    }
    Loop loop = loops.get();
    Timing timing = loop.free.poll();
    if (timing == null) {
      timing = new Timing(loop);
    }
    timing.ctx = ctx;
    if (--loop.untilTimed == 0) {
      loop.untilTimed = TIME_ONE_IN;
      timing.timed = true;
      timing.startNanos = stats.nanoTime();
    } else {
      timing.timed = false;
    }
    if (!HttpDrain.tellWhenAnswered(request, timing)) {
      ctx.addEndHandler(timing);
    }
    ctx.next();
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
