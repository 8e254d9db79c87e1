package io.quiesce.http.routing;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.net.RFC3986;

/**
 * Sends each request to one of two routers before any route is matched: the runtime's
 * ({@link RuntimePaths#PREFIX} and below, and with {@code server.health_aliases} a {@code GET} of
 * exactly {@code /health}, {@code /health/live} or {@code /health/ready}) or the emulator's, whose
 * requests pass the request tracker first. As routes of one router, the runtime's two mounts cost every
 * emulator request two route matches, each about 3 % of a hello route's
 * throughput (measured head to head); here it is one test of the path. The path is the one the
 * routers match on ({@code RoutingContext.normalizedPath()}: percent-encoded unreserved characters
 * decoded, as vert.x-web does, which returns the same string, allocating nothing, for a path with no
 * {@code %}, {@code .} or {@code //}), so a request is the runtime's here exactly when a route of the
 * runtime's router would have matched it.
 */
public final class RuntimeDispatch implements Handler<HttpServerRequest> {

  private static final String ALIAS_LIVE = RuntimePaths.HEALTH_ALIAS + "/live";
  private static final String ALIAS_READY = RuntimePaths.HEALTH_ALIAS + "/ready";

  private final Handler<HttpServerRequest> runtime;
  private final Handler<HttpServerRequest> emulator;
  private final boolean healthAliases;

  private RuntimeDispatch(Handler<HttpServerRequest> runtime, Handler<HttpServerRequest> emulator, boolean healthAliases) {
    this.runtime = runtime;
    this.emulator = emulator;
    this.healthAliases = healthAliases;
  }

  /** {@code runtime} for the runtime's requests, {@code emulator} for every other one. */
  public static Handler<HttpServerRequest> between(Handler<HttpServerRequest> runtime, Handler<HttpServerRequest> emulator,
      boolean healthAliases) {
    return new RuntimeDispatch(runtime, emulator, healthAliases);
  }

  @Override
  public void handle(HttpServerRequest request) {
    (isRuntimes(request) ? runtime : emulator).handle(request);
  }

  private boolean isRuntimes(HttpServerRequest request) {
    String raw = request.path();
    if (raw == null) {
      return false;
    }
    String path;
    try {
      path = RFC3986.normalizePath(raw);
    } catch (IllegalArgumentException badEscape) {
      return false; // the emulator's router answers it 400, as the one router did
    }
    if (path.startsWith(RuntimePaths.PREFIX)
        && (path.length() == RuntimePaths.PREFIX.length() || path.charAt(RuntimePaths.PREFIX.length()) == '/')) {
      return true;
    }
    return healthAliases && request.method() == HttpMethod.GET && (path.equals(RuntimePaths.HEALTH_ALIAS)
        || path.equals(ALIAS_LIVE) || path.equals(ALIAS_READY));
  }
}
