package io.quiesce.http.events;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests and errors for heartbeats. Installed right behind the request tracker; like the
 * tracker it allocates nothing per request (a {@link LongAdder} increment and one end handler built
 * once), and it skips the same exempt paths (health probes, lifecycle views), so probes do not
 * count as traffic.
 *
 * <p>An error is a request whose handler failed (an exception or {@code ctx.fail}, answered by the
 * router's error handling) or whose exchange broke before the response was complete. A 4xx or 5xx
 * that a handler writes itself is an answer, not an error, and is not counted here.
 */
public final class RequestCounter implements Handler<RoutingContext> {

  private final String[] exemptPrefixes;
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final Handler<AsyncResult<Void>> onEnd = ended -> {
    if (ended.failed()) {
      errors.increment();
    }
  };

  public RequestCounter(List<String> exemptPrefixes) {
    this.exemptPrefixes = exemptPrefixes.toArray(new String[0]);
  }

  /** Installs the counter at {@code order} (just after the tracker) and its failure hook. */
  public void mount(Router router, int order) {
    router.route().order(order).handler(this);
    router.route().order(order).failureHandler(ctx -> {
      if (!isExempt(ctx.normalizedPath())) {
        errors.increment();
      }
      ctx.next();
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!isExempt(ctx.normalizedPath())) {
      requests.increment();
      ctx.addEndHandler(onEnd);
    }
    ctx.next();
  }

  private boolean isExempt(String path) {
    if (path == null) {
      return false;
    }
    for (String prefix : exemptPrefixes) {
      if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  public long requests() {
    return requests.sum();
  }

  public long errors() {
    return errors.sum();
  }
}
