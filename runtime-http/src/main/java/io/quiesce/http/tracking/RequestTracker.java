package io.quiesce.http.tracking;

import io.quiesce.drain.WorkTracker;
import io.quiesce.health.RequestStats;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
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
 * <p>It has no list of exempt paths: the runtime's own routes (health, metrics, lifecycle) are
 * registered before it and end their response without calling {@code next()}, so whether a
 * request is tracked is decided by the router's match, on the same path the emulator's routes are
 * matched with. Requests with dot segments never get here (see {@code DotSegments}).
 *
 * <p>Each admitted request is also timed and counted in {@link RequestStats} (a response with a
 * 5xx status counts as an error): that is what the health error rate and latency are made of.
 *
 * <p>The admitted path is the tracker's two uncontended adds, two clock reads and one end-handler
 * registration with a handler built once: this class allocates nothing per request in the steady
 * state, and writes nothing that another event loop writes too. The end handler is a
 * reusable {@code Timing} slot (start time and context) taken from a pool confined to the current
 * thread, so taking and returning one needs no lock; a pool grows only to the most requests a
 * thread has had in flight at once.
 */
public final class RequestTracker implements Handler<RoutingContext> {

  private final WorkTracker work;
  private final String retryAfterSeconds;
  private final RequestStats stats;
  private final ThreadLocal<ArrayDeque<Timing>> pool = ThreadLocal.withInitial(ArrayDeque::new);
  // Counted on the refusal path only, never on the admitted one.
  private final LongAdder refusedDraining = new LongAdder();
  private final LongAdder refusedStarting = new LongAdder();

  public RequestTracker(WorkTracker work, RequestStats stats, Duration retryAfter) {
    this.work = work;
    this.stats = stats;
    // Retry-After takes whole seconds; round up so that "500ms" does not become "retry now".
    this.retryAfterSeconds = Long.toString(Math.max(0, (retryAfter.toMillis() + 999) / 1000));
  }

  /** The end handler of one request in flight; reused once that request has ended. */
  private final class Timing implements Handler<AsyncResult<Void>> {
    private RoutingContext ctx;
    private long startNanos;

    @Override
    public void handle(AsyncResult<Void> ended) {
      RoutingContext c = ctx;
      ctx = null;
      try {
        long now = stats.nanoTime();
        stats.record(c.response().getStatusCode() >= 500, now - startNanos, now);
      } finally {
        ArrayDeque<Timing> free = pool.get();
        if (free.size() < MAX_POOLED) {
          free.push(this);
        }
        work.exit();
      }
    }
  }

  private static final int MAX_POOLED = 4096;

  @Override
  public void handle(RoutingContext ctx) {
    if (!work.tryEnter()) {
      refuse(ctx.request());
      return;
    }
    Timing timing = pool.get().poll();
    if (timing == null) {
      timing = new Timing();
    }
    timing.ctx = ctx;
    timing.startNanos = stats.nanoTime();
    ctx.addEndHandler(timing);
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
