package io.quiesce.http;

import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.drain.WorkTracker;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.health.HealthModel;
import io.quiesce.http.metrics.RuntimeMetrics;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.shutdown.ShutdownReason;
import io.quiesce.shutdown.ShutdownReport;
import io.quiesce.supervision.Supervisor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;

/**
 * One running runtime, as an emulator sees it: its Vert.x, its validated configuration, its
 * lifecycle, and the router on which the runtime has already installed its own routes (below
 * {@code /_quiesce}, plus the exact root health aliases) and then the request tracker. Routes the
 * emulator adds come after both: every request that reaches them has been counted, or refused
 * with 503 while starting or draining. A request whose raw path has a dot segment is answered 400
 * before it is routed at all (see {@code DotSegments}).
 */
public final class QuiesceRuntime {

  private final Vertx vertx;
  private final LoadedConfig config;
  private final RuntimeSettings settings;
  private final LifecycleManager lifecycle;
  private final Router router;
  private final HealthChecks healthChecks;
  private final HttpEndpoint endpoint;
  private final HealthModel health;
  private final Supervisor supervisor;
  private final LifecycleEvents events;
  private final RuntimeMetrics metrics;
  private final ConfigReloader reloader;

  QuiesceRuntime(Vertx vertx, LoadedConfig config, RuntimeSettings settings, LifecycleManager lifecycle,
      Router router, HealthChecks healthChecks, HttpEndpoint endpoint, HealthModel health, Supervisor supervisor,
      LifecycleEvents events, RuntimeMetrics metrics, ConfigReloader reloader) {
    this.reloader = reloader;
    this.health = health;
    this.supervisor = supervisor;
    this.vertx = vertx;
    this.config = config;
    this.settings = settings;
    this.lifecycle = lifecycle;
    this.router = router;
    this.healthChecks = healthChecks;
    this.endpoint = endpoint;
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Lifecycle events, discovery and group restart: publish {@code connected}/{@code disconnected},
   * subscribe with wildcards, listen for restart notices, add transports during setup.
   */
  public LifecycleEvents events() {
    return events;
  }

  /**
   * Reads the configuration again from the sources it was started with and applies what can change
   * at run time, as SIGHUP does (see the README, section Command line): {@code log.level}, the
   * {@code health.*} thresholds but the error window, and the hooks. Every outcome is logged;
   * the future completes once it has been, and never fails.
   */
  public Future<Void> reloadConfig() {
    return reloader.reload();
  }

  ConfigReloader reloader() {
    return reloader;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The whole validated configuration as it was at startup, including the emulator's own keys. */
  public LoadedConfig config() {
    return config;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  public LifecycleManager lifecycle() {
    return lifecycle;
  }

  /** In-flight work; long waits subscribe to {@link WorkTracker#onDrain(Runnable)} here. */
  public WorkTracker tracker() {
    return lifecycle.tracker();
  }

  public Router router() {
    return router;
  }

  /** Add procedures here; they count in {@code /_quiesce/health} and {@code /_quiesce/health/ready}. */
  public HealthChecks healthChecks() {
    return healthChecks;
  }

  /**
   * Metrics served at {@code /_quiesce/metrics}: add meters to {@link RuntimeMetrics#registry()}, report
   * connections to backing services with {@link RuntimeMetrics#connection}.
   */
  public RuntimeMetrics metrics() {
    return metrics;
  }

  /**
   * The health model behind {@code /_quiesce/health}: register external dependencies here
   * ({@code health().dependency("db", true)}) and report each call to them.
   */
  public HealthModel health() {
    return health;
  }

  /**
   * Checks and restarts managed services: give a service its own restart policy and criticality
   * with {@link Supervisor#configure} during setup, or report a fatal error with
   * {@link Supervisor#fatal}.
   */
  public Supervisor supervisor() {
    return supervisor;
  }

  /** The port the HTTP server is bound to (the real one when configured as 0); -1 before start. */
  public int port() {
    return endpoint.actualPort();
  }

  /** Graceful shutdown; the same future for every caller. */
  public Future<ShutdownReport> shutdown(ShutdownReason reason) {
    return lifecycle.shutdown(reason);
  }

  /** Graceful shutdown, then Vert.x closed; for tests and embedders that own the process. */
  public Future<ShutdownReport> close() {
    return lifecycle.shutdown(ShutdownReason.MANUAL)
        .compose(report -> events.whenClosed().compose(v -> vertx.close()).map(report));
  }
}
