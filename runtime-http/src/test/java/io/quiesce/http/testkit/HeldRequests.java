package io.quiesce.http.testkit;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A route handler that answers only when the test says so: a "slow" request whose end the test
 * controls exactly, with no timer to race against. {@link #next()} returns once a request has
 * reached the handler, which is after the request tracker counted it.
 */
public final class HeldRequests implements Handler<RoutingContext> {

  /** One request waiting in the handler. */
  public record Held(RoutingContext ctx, Context context) {

    /** Answers 200 with {@code body}, on the request's own context. */
    public void release(String body) {
      context.runOnContext(v -> {
        if (!ctx.response().ended() && !ctx.response().closed()) {
          ctx.response().end(body);
        }
      });
    }
  }

  private final BlockingQueue<Held> arrived = new LinkedBlockingQueue<>();
  private final List<Held> all = new CopyOnWriteArrayList<>();

  @Override
  public void handle(RoutingContext ctx) {
    Held held = new Held(ctx, Vertx.currentContext());
    all.add(held);
    arrived.add(held);
  }

  /** The next request to reach the handler; fails if none does within 10 s. */
  public Held next() throws InterruptedException {
    Held held = arrived.poll(10, TimeUnit.SECONDS);
    if (held == null) {
      throw new AssertionError("no request reached the held route within 10 s");
    }
    return held;
  }

  /** Answers every request still held, so that a test's shutdown does not wait on them. */
  public void releaseAll() {
    for (Held held : all) {
      held.release("released");
    }
  }
}
