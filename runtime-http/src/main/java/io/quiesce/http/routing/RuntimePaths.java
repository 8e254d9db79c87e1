package io.quiesce.http.routing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The runtime's own namespace: every route of the runtime lives below {@link #PREFIX}, as
 * LocalStack's live below {@code /_localstack} and Spring's below {@code /actuator}, so that an
 * emulator's API (an S3 bucket named {@code metrics}, an object key {@code lifecycle/events})
 * never collides with it. The one exception is the root health aliases, {@code /health},
 * {@code /health/live} and {@code /health/ready}, matched exactly and only with
 * {@code server.health_aliases}.
 *
 * <p>Admission: the runtime's routes live on a router of their own, which {@link RuntimeDispatch}
 * chooses before the emulator's router by the path the routers match on; they end their response
 * and never call {@code next()}, so they are never counted and never refused (a probe sees
 * "draining" instead of a 503 of its own). Every other request, whatever its path, passes the
 * request tracker on its way to the emulator's router.
 *
 * <p>The routes below {@link #PREFIX} are on a router mounted there ({@link #mountOwnRouter}), the
 * root health aliases on one mounted at {@link #HEALTH_ALIAS}.
 */
public final class RuntimePaths {

  /** Everything below this prefix is the runtime's; an emulator gets no request under it. */
  public static final String PREFIX = "/_quiesce";
  /** Health, also {@code /live}, {@code /ready} and {@code /history} below it. */
  public static final String HEALTH = PREFIX + "/health";
  /** Prometheus scrape endpoint (with {@code metrics.enabled}). */
  public static final String METRICS = PREFIX + "/metrics";
  /** Lifecycle events and the discovery registry: {@code /events}, {@code /services} below it. */
  public static final String LIFECYCLE = PREFIX + "/lifecycle";
  /** The root alias of {@link #HEALTH} (and of its {@code /live} and {@code /ready}), with {@code server.health_aliases}. */
  public static final String HEALTH_ALIAS = "/health";

  private RuntimePaths() {}

  /**
   * Mounts a new router at {@link #PREFIX} on {@code root} (the runtime's router) and returns it.
   * Its routes are registered with paths relative to the prefix ({@link #below});
   * {@code RoutingContext.normalizedPath()} in their handlers is still the full path.
   */
  public static Router mountOwnRouter(Vertx vertx, Router root) {
    Router own = Router.router(vertx);
    root.route(PREFIX + "/*").subRouter(own);
    return own;
  }

  /** {@code path} (one of the paths above) as a route path of the router {@link #mountOwnRouter} returns. */
  public static String below(String path) {
    if (!path.startsWith(PREFIX + "/")) {
      throw new IllegalArgumentException(path + " is not below " + PREFIX);
    }
    return path.substring(PREFIX.length());
  }

  /**
   * Answers 404 for any other path below {@link #PREFIX}, whatever the method: the namespace stays
   * the runtime's even where it has no route. Call on the router {@link #mountOwnRouter} returned,
   * after the runtime's routes.
   */
  public static void reserveRest(Router own) {
    own.route("/*").handler(ctx -> ctx.response()
        .setStatusCode(404)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "not_found")
            .put("message", "No runtime route " + ctx.request().method() + " " + ctx.normalizedPath()
                + "; the runtime's routes are listed in the README, section Routes.")
            .encode()));
  }
}
