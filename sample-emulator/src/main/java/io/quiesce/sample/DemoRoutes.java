package io.quiesce.sample;

import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Endpoints for watching drain by hand, all on timers (never blocking an event loop):
 *
 * <ul>
 *   <li>{@code GET /_demo/slow?ms=N}: answers 200 after N ms, whatever happens meanwhile — an
 *       ordinary request that drain waits for.
 *   <li>{@code GET /_demo/wait?ms=N}: a long poll; answers after N ms, or at once when drain
 *       begins, so it never holds shutdown.
 *   <li>{@code GET /_demo/events?ms=N}: server-sent events, a {@code tick} every N ms (default
 *       1000); when drain begins, a final {@code end} event and the end of the stream.
 *   <li>{@code GET /_demo/ws}: a WebSocket echo; when drain begins it sends one last text message,
 *       {@code server draining}, and leaves the close (1001 Going Away) to the runtime.
 * </ul>
 */
final class DemoRoutes {

  static final long MAX_DELAY_MS = 600_000;
  private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  // Encoded once and shared: Vert.x writes a slice of it, never the buffer itself.
  private static final Buffer SLEPT_NOTHING = Buffer.buffer("{\"slept_ms\":0}");

  private final Vertx vertx;
  private final QuiesceRuntime runtime;

  DemoRoutes(QuiesceRuntime runtime) {
    this.vertx = runtime.vertx();
    this.runtime = runtime;
  }

  void mount(Router router) {
    router.get("/_demo/slow").handler(this::slow);
    router.get("/_demo/wait").handler(this::longPoll);
    router.get("/_demo/events").handler(this::events);
    router.get("/_demo/ws").handler(this::echo);
  }

  private void slow(RoutingContext ctx) {
    long ms = delayParam(ctx);
    if (ms == 0) {
      // The common case under load: no timer, no JSON object, no string, nothing built per request.
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(SLEPT_NOTHING);
    } else if (ms > 0) {
      vertx.setTimer(ms, t -> reply(ctx, new JsonObject().put("slept_ms", ms)));
    }
  }

  private void longPoll(RoutingContext ctx) {
    long ms = delayParam(ctx);
    if (ms < 0) {
      return;
    }
    long started = System.nanoTime();
    long[] timer = {-1};
    Subscription[] subscription = new Subscription[1];
    Context requestContext = vertx.getOrCreateContext();
    // Drain may begin on any thread (a signal handler's); answer on the request's own event loop.
    Runnable finish = () -> requestContext.runOnContext(v -> {
      vertx.cancelTimer(timer[0]);
      reply(ctx, new JsonObject()
          .put("waited_ms", (System.nanoTime() - started) / 1_000_000)
          .put("ended_by", runtime.state().isShuttingDown() ? "drain" : "timer"));
    });
    timer[0] = vertx.setTimer(Math.max(1, ms), t -> {
      subscription[0].close();
      finish.run();
    });
    subscription[0] = runtime.onDrain(v -> finish.run());
    ctx.response().closeHandler(v -> {
      vertx.cancelTimer(timer[0]);
      subscription[0].close();
    });
  }

  private void events(RoutingContext ctx) {
    long every = delay(ctx, 1000, 10);
    if (every < 0) {
      return;
    }
    var response = ctx.response().setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    response.write(": stream open\n\n");
    long[] ticks = {0};
    Context requestContext = vertx.getOrCreateContext();
    long timer = vertx.setPeriodic(every, id -> response.write("event: tick\ndata: " + (++ticks[0]) + "\n\n"));
    Subscription drain = runtime.onDrain(v -> requestContext.runOnContext(x -> {
      vertx.cancelTimer(timer);
      if (!response.ended() && !response.closed()) {
        response.end("event: end\ndata: server draining\n\n");
      }
    }));
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      drain.close();
    });
  }

  private void echo(RoutingContext ctx) {
    Context requestContext = vertx.getOrCreateContext();
    ctx.request().toWebSocket().onSuccess(ws -> {
      ws.textMessageHandler(ws::writeTextMessage);
      Subscription drain = runtime.onDrain(v -> requestContext.runOnContext(x -> {
        if (!ws.isClosed()) {
          ws.writeTextMessage("server draining");
        }
      }));
      ws.closeHandler(v -> drain.close());
    });
  }

  /** The {@code ms} parameter, or -1 after answering 400 when it is not a delay we accept. */
  private static long delayParam(RoutingContext ctx) {
    return delay(ctx, 0, 0);
  }

  /** The {@code ms} parameter from {@code min} to {@link #MAX_DELAY_MS}, or -1 after answering 400. */
  private static long delay(RoutingContext ctx, long defaultMs, long min) {
    String query = ctx.request().query();
    long ms = msValue(query, defaultMs);
    if (ms < min || ms > MAX_DELAY_MS) {
      ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", "bad_request").put("message", "ms must be an integer from " + min + " to "
              + MAX_DELAY_MS + ", was \"" + msParam(query, Long.toString(defaultMs)) + "\"").encode());
      return -1;
    }
    return ms;
  }

  /**
   * The first {@code ms=} value of a raw query string as a number, read in place (no substring, no
   * exception); {@code defaultMs} without one; -1 when it is not a decimal integer of at most 18
   * digits with an optional sign, as {@link Long#parseLong} takes it. Not percent-decoded: see {@link #msParam}.
   */
  static long msValue(String query, long defaultMs) {
    int at = msAt(query);
    if (at < 0) {
      return defaultMs;
    }
    int end = query.indexOf('&', at);
    end = end < 0 ? query.length() : end;
    boolean negative = at < end && query.charAt(at) == '-';
    int i = at < end && (negative || query.charAt(at) == '+') ? at + 1 : at;
    if (i == end || end - i > 18) {
      return -1;
    }
    long v = 0;
    for (; i < end; i++) {
      char c = query.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return negative ? -v : v;
  }

  // Where the value of the first "ms=" parameter starts; -1 without one.
  private static int msAt(String query) {
    if (query == null) {
      return -1;
    }
    int from = 0;
    while (from <= query.length()) {
      int end = query.indexOf('&', from);
      if (end < 0) {
        end = query.length();
      }
      if (query.startsWith("ms=", from)) {
        return from + 3;
      }
      from = end + 1;
    }
    return -1;
  }

  /**
   * The first {@code ms=} value of a raw query string, "0" without one; read directly rather than
   * through {@code getParam}, which decodes every parameter into a map on each request. A digit
   * string needs no percent-decoding; anything else fails to parse and is answered 400.
   */
  static String msParam(String query) {
    return msParam(query, "0");
  }

  private static String msParam(String query, String defaultValue) {
    int at = msAt(query);
    if (at < 0) {
      return defaultValue;
    }
    int end = query.indexOf('&', at);
    return query.substring(at, end < 0 ? query.length() : end);
  }

  private static void reply(RoutingContext ctx, JsonObject body) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body.encode());
    }
  }
}
