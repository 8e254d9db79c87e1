package io.quiesce.hooks;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.supervision.SupervisionListener;
import io.quiesce.supervision.Supervisor;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects hooks to the lifecycle and the supervisor:
 *
 * <ul>
 *   <li>{@code on_start}: a startup step, registered as the service {@value #START_SERVICE} right
 *       after the HTTP server, before the emulator's services. When required, a failed hook fails
 *       startup and what started is rolled back.
 *   <li>{@code on_ready}: once RUNNING; not waited for.
 *   <li>{@code on_drain}: a task of the shutdown phase DRAIN_REQUESTS, alongside the request
 *       drain, within drain_timeout.
 *   <li>{@code on_stop}: a task of the phase BEFORE_STOP (after drain, before services stop)
 *       within the shutdown budget. Both carry {@code QUIESCE_REASON}, the shutdown reason.
 *   <li>{@code on_failure}, {@code on_restart}, {@code on_healthy}: from the supervisor, with the
 *       managed service as {@code QUIESCE_SERVICE}; not waited for.
 * </ul>
 */
public final class LifecycleHooks {

  /** The name of the startup step running {@code on_start} hooks. */
  public static final String START_SERVICE = "hooks.on_start";

  /** Long enough to mean "only each hook's own timeout applies". */
  private static final Duration UNBOUNDED = Duration.ofDays(365);

  private LifecycleHooks() {}

  /**
   * Registers {@code on_start} as a startup step; call before the emulator's services are
   * registered, so that it runs before them.
   */
  public static void registerStart(HookRunner runner, LifecycleManager lifecycle, Supervisor supervisor, boolean required) {
    if (!runner.has(HookEvent.ON_START)) {
      return;
    }
    supervisor.ignore(START_SERVICE);
    lifecycle.register(ManagedService.of(START_SERVICE,
        () -> runner.run(HookEvent.ON_START, null, Map.of(), UNBOUNDED).compose(results -> {
          List<HookResult> failed = results.stream().filter(r -> !r.succeeded()).toList();
          if (!failed.isEmpty() && required) {
            return Future.failedFuture(new IllegalStateException("required on_start hook failed: " + failed.get(0).summary()));
          }
          return Future.succeededFuture();
        }),
        Future::succeededFuture));
  }

  /** Connects every other event. */
  public static void install(HookRunner runner, LifecycleManager lifecycle, Supervisor supervisor) {
    AtomicReference<String> shutdownReason = new AtomicReference<>("");
    lifecycle.onTransition(t -> {
      if (t.to() == LifecycleState.RUNNING) {
        runner.run(HookEvent.ON_READY, null, Map.of(), UNBOUNDED);
      } else if (t.to() == LifecycleState.DRAINING) {
        shutdownReason.set(t.reason());
      }
    });
    // Only once an event has hooks (at startup or after a reload): no empty steps in shutdown reports.
    AtomicBoolean drainInstalled = new AtomicBoolean();
    AtomicBoolean stopInstalled = new AtomicBoolean();
    Runnable installShutdownHooks = () -> {
      if (runner.has(HookEvent.ON_DRAIN) && drainInstalled.compareAndSet(false, true)) {
        lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "on_drain hooks", ctx ->
            runner.run(HookEvent.ON_DRAIN, null, Map.of("QUIESCE_REASON", shutdownReason.get()), ctx.remaining()).mapEmpty());
      }
      if (runner.has(HookEvent.ON_STOP) && stopInstalled.compareAndSet(false, true)) {
        lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "on_stop hooks", ctx ->
            runner.run(HookEvent.ON_STOP, null, Map.of("QUIESCE_REASON", ctx.reason().name()), ctx.remaining()).mapEmpty());
      }
    };
    installShutdownHooks.run();
    runner.onReconfigure(installShutdownHooks);
    supervisor.addListener(new SupervisionListener() {
      @Override
      public void onFailure(String service, int consecutiveFailures, String error) {
        runner.run(HookEvent.ON_FAILURE, service, Map.of("QUIESCE_REASON", error,
            "QUIESCE_FAILURE_COUNT", Integer.toString(consecutiveFailures)), UNBOUNDED);
      }

      @Override
      public void onRestart(String service, int restarts, String reason, boolean succeeded) {
        runner.run(HookEvent.ON_RESTART, service, Map.of("QUIESCE_REASON", reason,
            "QUIESCE_RESTART_COUNT", Integer.toString(restarts), "QUIESCE_RESULT", succeeded ? "ok" : "failed"), UNBOUNDED);
      }

      @Override
      public void onHealthy(String service) {
        runner.run(HookEvent.ON_HEALTHY, service, Map.of(), UNBOUNDED);
      }

      @Override
      public void onGaveUp(String service, String reason) {
        runner.run(HookEvent.ON_FAILURE, service, Map.of("QUIESCE_REASON", reason, "QUIESCE_GAVE_UP", "true"), UNBOUNDED);
      }
    });
  }
}
