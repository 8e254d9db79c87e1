package io.quiesce.sample;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /_demo/slow?ms=N}: answers 200 after N ms, on a timer, never blocking the event loop. */
final class DemoRoutes {

  static final long MAX_DELAY_MS = 600_000;

  private final Vertx vertx;

  DemoRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/_demo/slow").handler(this::slow);
  }

  private void slow(RoutingContext ctx) {
    String raw = ctx.request().getParam("ms", "0");
    long ms;
    try {
      ms = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > MAX_DELAY_MS) {
      ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("error", "bad_request")
              .put("message", "ms must be an integer from 0 to " + MAX_DELAY_MS + ", was \"" + raw + "\"").encode());
      return;
    }
    long delay = ms;
    if (delay == 0) {
      reply(ctx, 0);
    } else {
      vertx.setTimer(delay, t -> reply(ctx, delay));
    }
  }

  private static void reply(RoutingContext ctx, long ms) {
    if (!ctx.response().closed()) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("slept_ms", ms).encode());
    }
  }
}
