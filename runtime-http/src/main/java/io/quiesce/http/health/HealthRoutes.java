package io.quiesce.http.health;

import io.quiesce.api.LifecycleState;
import io.quiesce.health.Component;
import io.quiesce.health.HealthModel;
import io.quiesce.health.HealthSnapshot;
import io.quiesce.health.HealthState;
import io.quiesce.http.routing.RuntimePaths;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.ServiceStatus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /_quiesce/health}, {@code /_quiesce/health/live}, {@code /_quiesce/health/ready} and
 * {@code /_quiesce/health/history}: what probes, load balancers and Testcontainers ask. With
 * {@code server.health_aliases} the first three also answer at the root ({@code /health},
 * {@code /health/live}, {@code /health/ready}), each on that exact path only: {@code /health/x}
 * and {@code /healthcare-data} are the emulator's. Built on vertx-health-check so that emulators add their own procedures
 * to {@link #checks()}; the runtime contributes one procedure per managed service.
 *
 * <ul>
 *   <li>{@code health}: 200 only when RUNNING, every procedure is up and health is not FAILING;
 *       503 otherwise. The body adds the health model: overall state, components, request counters.
 *   <li>{@code health/live}: 200 whenever the process can answer, draining included.
 *   <li>{@code health/ready}: 200 only when RUNNING, every procedure is up and health is not
 *       FAILING; 503 while starting and from the first instant of drain.
 *   <li>{@code health/history}: each component's last checks; always 200.
 * </ul>
 */
public final class HealthRoutes {

  private final LifecycleManager lifecycle;
  private final HealthChecks checks;
  private final String version;
  private final long startNanos;
  private final HealthModel health;

  public HealthRoutes(LifecycleManager lifecycle, HealthChecks checks, HealthModel health, String version, long startNanos) {
    this.lifecycle = lifecycle;
    this.health = health;
    this.checks = checks;
    this.version = version;
    this.startNanos = startNanos;
  }

  /**
   * Registers a procedure per managed service: up while it runs, and also while a service that is
   * not critical (see {@code Supervisor#configure}) is down, which makes health DEGRADED rather
   * than taking the runtime out of service. Call once services are known.
   */
  public void registerServiceChecks() {
    for (String name : lifecycle.services().statuses().keySet()) {
      checks.register("service:" + name, promise -> {
        ServiceStatus status = lifecycle.services().statuses().get(name);
        Component component = health.component(name);
        boolean critical = component == null || component.critical();
        JsonObject data = new JsonObject().put("status", status.name().toLowerCase()).put("critical", critical);
        promise.complete(status == ServiceStatus.RUNNING || !critical ? Status.OK(data) : Status.KO(data));
      });
    }
  }

  public HealthChecks checks() {
    return checks;
  }

  /**
   * Registers the routes below {@link RuntimePaths#HEALTH} on {@code own} (the router of the
   * runtime's namespace, see {@link RuntimePaths#mountOwnRouter}), and the exact root aliases on
   * {@code root} when {@code rootAliases}: on a router of their own mounted at {@code /health}, so
   * that any other request pays one prefix test for all three. Each route ends its response and
   * never calls {@code next()}.
   */
  public void mount(Vertx vertx, Router own, Router root, boolean rootAliases) {
    mount(own, RuntimePaths.below(RuntimePaths.HEALTH), RuntimePaths.HEALTH);
    own.get(RuntimePaths.below(RuntimePaths.HEALTH) + "/history").handler(ctx -> respond(ctx, true, HealthJson.history(health.views())));
    if (rootAliases) {
      Router aliases = Router.router(vertx);
      root.route(RuntimePaths.HEALTH_ALIAS + "/*").subRouter(aliases);
      mount(aliases, "", RuntimePaths.HEALTH_ALIAS);
    }
  }

  // Route paths are relative to the router's mount point ("" is the mount point itself, which a
  // route path cannot name without a trailing slash: any path there, the exact-path test decides).
  private void mount(Router router, String relative, String base) {
    (relative.isEmpty() ? router.get() : router.get(relative)).handler(exactly(base, this::full));
    router.get(relative + "/live").handler(exactly(base + "/live", this::live));
    router.get(relative + "/ready").handler(exactly(base + "/ready", this::ready));
  }

  /*
   * Vert.x Web matches a route path with or without one trailing slash ("/health/" for "/health").
   * At the root that slash is the emulator's ("/health/" is S3's ListObjects on bucket "health"),
   * so anything but the exact path goes on to the next route, the request tracker.
   */
  private static Handler<RoutingContext> exactly(String path, Handler<RoutingContext> handler) {
    return ctx -> {
      if (path.equals(ctx.normalizedPath())) {
        handler.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private void full(RoutingContext ctx) {
    LifecycleState state = lifecycle.state();
    checks.checkStatus().onComplete(ar -> {
      CheckResult result = ar.succeeded() ? ar.result() : CheckResult.from("checks", ar.cause());
      HealthSnapshot snapshot = health.snapshot();
      boolean up = state == LifecycleState.RUNNING && CheckResult.isUp(result) && snapshot.state() != HealthState.FAILING;
      JsonObject services = new JsonObject();
      for (Map.Entry<String, ServiceStatus> e : lifecycle.services().statuses().entrySet()) {
        services.put(e.getKey(), e.getValue().name().toLowerCase());
      }
      JsonObject body = new JsonObject()
          .put("status", state.name().toLowerCase())
          .put("version", version)
          .put("uptime", (System.nanoTime() - startNanos) / 1_000_000_000L)
          .put("in_flight_requests", lifecycle.tracker().inFlight())
          .put("services", services)
          .put("checks", result.toJson().getJsonArray("checks"))
          .put("timestamp", Instant.now().toString());
      HealthJson.addTo(body, snapshot);
      respond(ctx, up, body);
    });
  }

  private void live(RoutingContext ctx) {
    respond(ctx, true, new JsonObject().put("status", "alive").put("state", lifecycle.state().name().toLowerCase()));
  }

  private void ready(RoutingContext ctx) {
    LifecycleState state = lifecycle.state();
    if (state != LifecycleState.RUNNING) {
      respond(ctx, false, new JsonObject().put("status", "not_ready").put("state", state.name().toLowerCase()));
      return;
    }
    checks.checkStatus().onComplete(ar -> {
      boolean up = ar.succeeded() && CheckResult.isUp(ar.result()) && lifecycle.state() == LifecycleState.RUNNING
          && health.evaluate().state() != HealthState.FAILING;
      respond(ctx, up, new JsonObject().put("status", up ? "ready" : "not_ready").put("state", lifecycle.state().name().toLowerCase()));
    });
  }

  private static void respond(RoutingContext ctx, boolean ok, JsonObject body) {
    ctx.response()
        .setStatusCode(ok ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
