package io.quiesce.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.ShutdownTask;
import io.quiesce.api.StateTransition;
import io.quiesce.api.Subscription;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.drain.WorkTracker;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.health.Component;
import io.quiesce.health.HealthModel;
import io.quiesce.http.drain.HttpDrain;
import io.quiesce.http.metrics.RuntimeMetrics;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.supervision.RestartPolicy;
import io.quiesce.supervision.Supervisor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;

/**
 * The runtime behind {@link QuiesceRuntime}. Internal: its extra accessors (the lifecycle, the
 * supervisor, the health model, the tracker) are for the runtime's own code and tests, not for
 * emulators, and may change at any time.
 */
public final class RuntimeInstance implements QuiesceRuntime {

  private final Vertx vertx;
  private final LoadedConfig config;
  private final RuntimeSettings settings;
  private final LifecycleManager lifecycle;
  private final Router router;
  private final HealthChecks healthChecks;
  private final HttpDrain http;
  private final HealthModel health;
  private final Supervisor supervisor;
  private final LifecycleEvents events;
  private final RuntimeMetrics metrics;
  private final ConfigReloader reloader;

  RuntimeInstance(Vertx vertx, LoadedConfig config, RuntimeSettings settings, LifecycleManager lifecycle,
      Router router, HealthChecks healthChecks, HttpDrain http, HealthModel health, Supervisor supervisor,
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
    this.http = http;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Router router() {
    return router;
  }

  @Override
  public LoadedConfig config() {
    return config;
  }

  @Override
  public int port() {
    return http.actualPort();
  }

  @Override
  public LifecycleState state() {
    return lifecycle.state();
  }

  @Override
  public void manage(ManagedService service) {
    lifecycle.register(service);
  }

  @Override
  public void manage(ManagedService service, RestartPolicy policy, boolean critical) {
    lifecycle.register(service);
    supervisor.configure(service.name(), policy, critical);
  }

  @Override
  public void onShutdown(ShutdownPhase phase, String name, ShutdownTask task) {
    lifecycle.addTask(phase, name, task);
  }

  @Override
  public Subscription onDrain(Handler<Void> action) {
    return lifecycle.tracker().onDrain(() -> action.handle(null));
  }

  @Override
  public Subscription onStateChange(Handler<StateTransition> listener) {
    return lifecycle.onTransition(listener);
  }

  @Override
  public void fatal(String service, Throwable error) {
    supervisor.fatal(service, error);
  }

  @Override
  public void healthCheck(String name, Handler<Promise<Status>> procedure) {
    healthChecks.register(name, procedure);
  }

  @Override
  public Component dependency(String name, boolean critical) {
    return health.dependency(name, critical);
  }

  @Override
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  @Override
  public LifecycleEvents events() {
    return events;
  }

  @Override
  public Future<Void> reloadConfig() {
    return reloader.reload();
  }

  @Override
  public Future<ShutdownReport> shutdown(ShutdownReason reason) {
    return lifecycle.shutdown(reason);
  }

  @Override
  public Future<ShutdownReport> close() {
    return lifecycle.shutdown(ShutdownReason.MANUAL)
        .compose(report -> events.whenClosed().compose(v -> vertx.close()).map(report));
  }

  ConfigReloader reloader() {
    return reloader;
  }

  public RuntimeSettings settings() {
    return settings;
  }

  public LifecycleManager lifecycle() {
    return lifecycle;
  }

  public WorkTracker tracker() {
    return lifecycle.tracker();
  }

  public HealthModel health() {
    return health;
  }

  public Supervisor supervisor() {
    return supervisor;
  }

  public RuntimeMetrics metrics() {
    return metrics;
  }

  public HttpDrain http() {
    return http;
  }
}
