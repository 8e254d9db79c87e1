package io.quiesce.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiesce.config.LoadedConfig;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.health.Component;
import io.quiesce.supervision.RestartPolicy;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;

/**
 * One running runtime, as an emulator sees it: the whole embedding API. Registration methods
 * ({@link #manage}, {@link #onShutdown}, {@link #healthCheck}, {@link #dependency}) are for
 * {@link EmulatorSetup}; the rest may be called at any time, from any thread, and none blocks.
 */
public interface QuiesceRuntime {

  Vertx vertx();

  /**
   * The router of the HTTP server. Every route added here is behind the runtime's admission: a
   * request is refused with 503 while starting and once refusing begins, and otherwise counted in
   * flight until its response ends. The runtime's own routes ({@code /_quiesce/*} and the exact
   * root health aliases) are matched first and never reach these.
   */
  Router router();

  /** The whole validated configuration, including the emulator's own keys. */
  LoadedConfig config();

  /** The port the HTTP server is bound to (the real one when configured as 0). */
  int port();

  LifecycleState state();

  /**
   * Adds a managed service: services start in the order added, stop in reverse, and roll back if
   * one fails to start. Supervised with the configured defaults ({@code supervision.*}).
   */
  void manage(ManagedService service);

  /** Adds a managed service with its own restart policy; a service that is not critical only degrades health when down. */
  void manage(ManagedService service, RestartPolicy policy, boolean critical);

  /**
   * Adds a task to a shutdown phase (see {@link ShutdownPhase} for the table). The task gets the
   * reason and its deadline; the report names it with its outcome.
   */
  void onShutdown(ShutdownPhase phase, String name, ShutdownTask task);

  /**
   * Runs {@code action} once when shutdown begins (at once if it already has), on the thread that
   * began it: long waits (long polls, streams) answer early instead of holding the drain. Close the
   * subscription when the wait ends normally.
   */
  Subscription onDrain(Handler<Void> action);

  /** Tells {@code listener} of every lifecycle transition, in order. */
  Subscription onStateChange(Handler<StateTransition> listener);

  /**
   * A managed service says it cannot go on: restarted at once (after its backoff) unless its
   * policy is {@code never}, whatever the failure threshold.
   *
   * @throws IllegalArgumentException if no managed service has that name
   */
  void fatal(String service, Throwable error);

  /** A health procedure: counts in {@code /_quiesce/health} and readiness; complete the promise with a status. */
  void healthCheck(String name, Handler<Promise<Status>> procedure);

  /** An external dependency of the emulator: report each call's outcome to the returned component. */
  Component dependency(String name, boolean critical);

  /** Where to add meters; served at {@code /_quiesce/metrics} when {@code metrics.enabled}. */
  MeterRegistry meterRegistry();

  /** Lifecycle events, discovery and group restart: publish, subscribe, add transports during setup. */
  LifecycleEvents events();

  /**
   * Reads the configuration again and applies what can change at run time, as SIGHUP does. Every
   * outcome is logged; the future never fails.
   */
  Future<Void> reloadConfig();

  /** Graceful shutdown; run once, the same report for every caller. */
  Future<ShutdownReport> shutdown(ShutdownReason reason);

  /** Graceful shutdown ({@link ShutdownReason#MANUAL}), then Vert.x closed: for tests and embedders that own the process. */
  Future<ShutdownReport> close();
}
