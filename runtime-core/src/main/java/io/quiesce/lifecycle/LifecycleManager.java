package io.quiesce.lifecycle;

import io.quiesce.drain.DrainCutException;
import io.quiesce.drain.DrainParticipant;
import io.quiesce.drain.WorkTracker;
import io.quiesce.shutdown.ShutdownCallback;
import io.quiesce.shutdown.ShutdownContext;
import io.quiesce.shutdown.ShutdownReason;
import io.quiesce.shutdown.ShutdownReport;
import io.quiesce.time.Bounded;
import io.quiesce.time.Deadline;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The state machine of one runtime: starts managed services in order, rolls them back if one
 * fails, and runs the one shutdown sequence — drain, callbacks, services — within a single budget.
 *
 * <p>Thread-safe. {@link #state()} may be read from any thread. Transitions happen only along
 * {@link LifecycleState#canMoveTo}; listeners hear of each one, in order. {@link #shutdown} is
 * run-once: every caller gets the same future, which never fails.
 */
public final class LifecycleManager {

  private static final Logger LOG = LogManager.getLogger(LifecycleManager.class);
  /** At most this much of the shutdown budget is kept after the participants' own deadline. */
  private static final Duration PARTICIPANT_MARGIN = Duration.ofMillis(50);

  private record NamedCallback(String name, ShutdownCallback callback) {}

  /** What stopping a list of services left behind. */
  private record StopResult(List<String> cut, List<String> failures, List<Throwable> errors) {}

  private final RuntimeClock clock;
  private final LifecyclePolicy policy;
  private final WorkTracker tracker = new WorkTracker();
  private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.INITIALIZING);
  private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ManagedService> services = new CopyOnWriteArrayList<>();
  private final Map<String, ServiceStatus> serviceStatus = new ConcurrentHashMap<>();
  private final List<NamedCallback> callbacks = new CopyOnWriteArrayList<>();
  private final List<DrainParticipant> participants = new CopyOnWriteArrayList<>();
  private final List<ManagedService> started = Collections.synchronizedList(new ArrayList<>());
  private final Promise<ShutdownReport> shutdownDone = Promise.promise();
  private final Map<String, Future<Void>> restarting = new ConcurrentHashMap<>();
  private ShutdownReason requested; // guarded by this

  public LifecycleManager(RuntimeClock clock, LifecyclePolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  public LifecycleState state() {
    return state.get();
  }

  /** Counts in-flight work; the HTTP layer and any other entry point must go through it. */
  public WorkTracker tracker() {
    return tracker;
  }

  public LifecyclePolicy policy() {
    return policy;
  }

  public void addListener(LifecycleListener listener) {
    listeners.add(listener);
  }

  /** Registers a service; services start in registration order. Only before {@link #start()}. */
  public void register(ManagedService service) {
    requireNotStarted("register a service");
    if (serviceStatus.putIfAbsent(service.name(), ServiceStatus.NEW) != null) {
      throw new IllegalArgumentException("a service named '" + service.name() + "' is already registered");
    }
    services.add(service);
  }

  /** Adds work to run during shutdown, after draining and before services stop, in the order added. */
  public void addShutdownCallback(String name, ShutdownCallback callback) {
    callbacks.add(new NamedCallback(name, callback));
  }

  /** Adds something that drains alongside the tracker when refusing begins (an HTTP server). */
  public void addDrainParticipant(DrainParticipant participant) {
    participants.add(participant);
  }

  /** Status of every registered service, in registration order. */
  public Map<String, ServiceStatus> serviceStatuses() {
    Map<String, ServiceStatus> out = new LinkedHashMap<>();
    for (ManagedService s : services) {
      out.put(s.name(), serviceStatus.get(s.name()));
    }
    return out;
  }

  /** Completes with the report of the shutdown, whoever started it. */
  public Future<ShutdownReport> whenStopped() {
    return shutdownDone.future();
  }

  /**
   * Starts the services in registration order. If one fails, those already started are stopped in
   * reverse order (each bounded by the stop timeout), the state becomes FAILED and the returned
   * future fails with the original error, rollback errors attached as suppressed.
   */
  public Future<Void> start() {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      LifecycleState now = state.get();
      if (now != LifecycleState.INITIALIZING) {
        return Future.failedFuture(new IllegalTransitionException(now, LifecycleState.INITIALIZING, LifecycleState.STARTING));
      }
      move(LifecycleState.INITIALIZING, LifecycleState.STARTING, "start requested");
    }
    startFrom(0, done);
    return done.future();
  }

  private void startFrom(int index, Promise<Void> done) {
    synchronized (this) {
      if (requested != null) {
        abortStartup(done);
        return;
      }
      if (index == services.size()) {
        move(LifecycleState.STARTING, LifecycleState.RUNNING, "all services started");
        tracker.open();
        done.complete();
        return;
      }
    }
    ManagedService service = services.get(index);
    serviceStatus.put(service.name(), ServiceStatus.STARTING);
    LOG.info("Starting service {}", service.name());
    call(service::start).onComplete(ar -> {
      if (ar.succeeded()) {
        serviceStatus.put(service.name(), ServiceStatus.RUNNING);
        started.add(service);
        startFrom(index + 1, done);
      } else {
        serviceStatus.put(service.name(), ServiceStatus.FAILED);
        rollBack(service, ar.cause(), done);
      }
    });
  }

  private void rollBack(ManagedService failed, Throwable cause, Promise<Void> done) {
    LOG.error("Service {} failed to start; rolling back {} started service(s)", failed.name(), started.size(), cause);
    stopInReverse(null).onComplete(ar -> {
      Throwable error = cause;
      try {
        error = withRollbackProblems(cause, ar.result());
      } finally {
        synchronized (this) {
          move(LifecycleState.STARTING, LifecycleState.FAILED, "service " + failed.name() + " failed to start: " + cause.getMessage());
          if (requested != null) {
            shutdownDone.tryComplete(emptyReport(requested));
          }
        }
        done.fail(error);
      }
    });
  }

  /**
   * The start error with the rollback's own errors attached as suppressed. Vert.x message
   * failures ({@code Future.failedFuture("...")}) do not accept suppressed exceptions; only then is
   * the original wrapped, as the cause of a {@link StartupFailedException} that carries them.
   */
  private static Throwable withRollbackProblems(Throwable cause, StopResult result) {
    List<Throwable> problems = new ArrayList<>();
    result.errors().stream().filter(e -> e != cause).forEach(problems::add);
    result.cut().forEach(c -> problems.add(new IllegalStateException("rollback cut: " + c)));
    if (problems.isEmpty()) {
      return cause;
    }
    int before = cause.getSuppressed().length;
    problems.forEach(cause::addSuppressed);
    if (cause.getSuppressed().length == before + problems.size()) {
      return cause;
    }
    StartupFailedException wrapper = new StartupFailedException(cause);
    problems.forEach(wrapper::addSuppressed);
    return wrapper;
  }

  // Called with the lock held, while STARTING and a shutdown was requested between two services.
  private void abortStartup(Promise<Void> done) {
    ShutdownReason reason = requested;
    long t0 = clock.nanoTime();
    Instant startedAt = Instant.now();
    move(LifecycleState.STARTING, LifecycleState.STOPPING, "shutdown requested during startup (" + reason + ")");
    Deadline deadline = Deadline.after(clock, policy.shutdownTimeout());
    stopInReverse(deadline).onComplete(ar -> {
      StopResult result = ar.result();
      synchronized (this) {
        move(LifecycleState.STOPPING, LifecycleState.STOPPED, reason.name());
      }
      Duration took = Duration.ofNanos(clock.nanoTime() - t0);
      ShutdownReport report = new ShutdownReport(reason, startedAt, took, !result.cut().isEmpty(),
          List.of(new ShutdownReport.Phase("services", took, 0, 0)), result.cut(), result.failures());
      done.fail(new StartupAbortedException(reason.name()));
      finish(report);
    });
  }

  /**
   * Stops one service and starts it again in place, while every other service (and the HTTP
   * server) keeps serving. Allowed only while RUNNING and before any shutdown was requested;
   * otherwise the future fails with {@link IllegalStateException} and nothing happens. A service
   * that is RUNNING is stopped first (bounded by the stop timeout; a stop that fails or overruns is
   * logged and the start goes ahead); one that is FAILED is only started. If a shutdown is
   * requested while the service is stopped, it is not started again and the future fails. The
   * future fails with the start's error if the start fails (the service is then FAILED).
   *
   * <p>Ordering: a restart of the same service already under way is joined, not repeated; the
   * shutdown sequence waits (within its budget) for a restart under way before stopping that
   * service, and stops it only if it is running then.
   */
  public Future<Void> restart(String name) {
    ManagedService service = find(name);
    Promise<Void> done = Promise.promise();
    boolean wasRunning;
    synchronized (this) {
      ServiceStatus status = serviceStatus.get(name);
      if (requested != null || state.get() != LifecycleState.RUNNING) {
        return Future.failedFuture(new IllegalStateException("cannot restart " + name + " in state " + state.get()
            + (requested != null ? " (shutdown requested)" : "")));
      }
      Future<Void> pending = restarting.get(name);
      if (pending != null) {
        return pending;
      }
      if (status != ServiceStatus.RUNNING && status != ServiceStatus.FAILED) {
        return Future.failedFuture(new IllegalStateException("cannot restart " + name + " while it is " + status));
      }
      wasRunning = status == ServiceStatus.RUNNING;
      restarting.put(name, done.future());
    }
    LOG.info("Restarting service {} in place", name);
    Future<Void> stopped = wasRunning ? stopForRestart(service) : Future.succeededFuture();
    stopped.compose(v -> {
      synchronized (this) {
        if (requested != null) {
          serviceStatus.put(name, ServiceStatus.STOPPED);
          return Future.<Void>failedFuture(new IllegalStateException("shutdown began while " + name + " was restarting; not started again"));
        }
        serviceStatus.put(name, ServiceStatus.STARTING);
      }
      return call(service::start).andThen(ar -> {
        serviceStatus.put(name, ar.succeeded() ? ServiceStatus.RUNNING : ServiceStatus.FAILED);
        if (ar.failed()) {
          LOG.error("Service {} failed to start again", name, ar.cause());
        }
      });
    }).onComplete(ar -> {
      restarting.remove(name);
      done.handle(ar);
    });
    return done.future();
  }

  /**
   * Stops one running service for good and marks it FAILED (supervision gave up on it); the rest
   * of the runtime keeps serving, and shutdown will not stop it again. Completes when stopped
   * (bounded by the stop timeout); never fails. Does nothing once shutdown was requested.
   */
  public Future<Void> stopFailed(String name) {
    ManagedService service = find(name);
    synchronized (this) {
      if (requested != null || restarting.containsKey(name)) {
        return Future.succeededFuture();
      }
      if (serviceStatus.get(name) != ServiceStatus.RUNNING) {
        serviceStatus.put(name, ServiceStatus.FAILED);
        return Future.succeededFuture();
      }
      serviceStatus.put(name, ServiceStatus.STOPPING);
      // Listed with the restarts, so that a shutdown arriving now waits for this stop.
      Promise<Void> done = Promise.promise();
      restarting.put(name, done.future());
      stopForRestart(service).onComplete(ar -> {
        serviceStatus.put(name, ServiceStatus.FAILED);
        restarting.remove(name);
        done.complete();
      });
      return done.future();
    }
  }

  private Future<Void> stopForRestart(ManagedService service) {
    serviceStatus.put(service.name(), ServiceStatus.STOPPING);
    return Bounded.run(clock, policy.stopTimeout(), service::stop).map(outcome -> {
      if (outcome.timedOut()) {
        LOG.warn("Service {}: stop still running after {} ms; going on", service.name(), outcome.took().toMillis());
      } else if (outcome.failure() != null) {
        LOG.warn("Service {} failed to stop; going on", service.name(), outcome.failure());
      }
      serviceStatus.put(service.name(), ServiceStatus.STOPPED);
      return null;
    });
  }

  /**
   * The registered service of that name.
   *
   * @throws IllegalArgumentException if there is none
   */
  public ManagedService service(String name) {
    return find(name);
  }

  private ManagedService find(String name) {
    for (ManagedService s : services) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no service named '" + name + "'");
  }

  /**
   * Shuts the runtime down gracefully; idempotent. The returned future is the same for every
   * caller and completes (never fails) with the report once the state is STOPPED, or at once if
   * the runtime had already stopped or failed.
   */
  public Future<ShutdownReport> shutdown(ShutdownReason reason) {
    synchronized (this) {
      if (requested != null) {
        return shutdownDone.future();
      }
      requested = reason;
      switch (state.get()) {
        case INITIALIZING -> {
          move(LifecycleState.INITIALIZING, LifecycleState.STOPPING, reason.name());
          move(LifecycleState.STOPPING, LifecycleState.STOPPED, reason.name());
          finish(emptyReport(reason));
        }
        case STARTING -> LOG.info("Shutdown ({}) requested during startup; it takes effect after the service now starting", reason);
        case RUNNING -> runShutdown(reason);
        default -> finish(emptyReport(reason)); // STOPPED or FAILED: nothing left to do
      }
    }
    return shutdownDone.future();
  }

  /*
   * The shutdown sequence, in one place:
   *  1. DRAINING: the tracker marks work so clients are told to leave; drain subscribers
   *     (long polls) are told to finish early.
   *  2. Drain delay: keep serving while load balancers notice readiness is 503.
   *  3. Refuse new work; participants (the HTTP listener and connections) drain; wait for the
   *     in-flight count to reach zero, at most drain_timeout.
   *  4. STOPPING: shutdown callbacks, in order, each told the time left.
   *  5. Services stop in reverse start order, each bounded by stop_timeout.
   *  6. STOPPED, with a report.
   * Every wait is bounded by what is left of shutdown_timeout; what overruns is cut and named.
   */
  private void runShutdown(ShutdownReason reason) {
    long t0 = clock.nanoTime();
    Instant startedAt = Instant.now();
    Deadline deadline = Deadline.after(clock, policy.shutdownTimeout());
    List<ShutdownReport.Phase> phases = new CopyOnWriteArrayList<>();
    List<String> cut = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();

    long inFlightAtStart = tracker.inFlight();
    move(LifecycleState.RUNNING, LifecycleState.DRAINING, reason.name());
    tracker.beginDrain();

    delay(policy.drainDelay(), deadline)
        .compose(v -> drain(deadline, cut, failures))
        .compose(v -> {
          phases.add(new ShutdownReport.Phase("draining", since(t0), inFlightAtStart, tracker.inFlight()));
          synchronized (this) {
            move(LifecycleState.DRAINING, LifecycleState.STOPPING, reason.name());
          }
          long t1 = clock.nanoTime();
          long inFlight = tracker.inFlight();
          return runCallbacks(0, new ShutdownContext(reason, deadline), cut, failures)
              .onComplete(x -> phases.add(new ShutdownReport.Phase("callbacks", since(t1), inFlight, tracker.inFlight())));
        })
        .compose(v -> {
          long t2 = clock.nanoTime();
          long inFlight = tracker.inFlight();
          return stopInReverse(deadline).map(result -> {
            cut.addAll(result.cut());
            failures.addAll(result.failures());
            phases.add(new ShutdownReport.Phase("services", since(t2), inFlight, tracker.inFlight()));
            return null;
          });
        })
        .onComplete(ar -> {
          if (ar.failed()) { // a bug in the sequence itself; still end STOPPED rather than hang
            LOG.error("Shutdown sequence failed", ar.cause());
            failures.add("shutdown sequence: " + ar.cause());
          }
          synchronized (this) {
            move(LifecycleState.STOPPING, LifecycleState.STOPPED, reason.name());
          }
          finish(new ShutdownReport(reason, startedAt, since(t0), !cut.isEmpty(), phases, cut, failures));
        });
  }

  private Future<Void> delay(Duration wanted, Deadline deadline) {
    Duration d = min(wanted, deadline.remaining());
    if (d.isZero()) {
      return Future.succeededFuture();
    }
    try (var f = fields("event", "shutdown_step", "step", "drain_delay", "delay_ms", d.toMillis())) {
      LOG.info("Drain delay: still serving for {} ms, readiness reports 503", d.toMillis());
    }
    Promise<Void> p = Promise.promise();
    clock.schedule(d, p::tryComplete);
    return p.future();
  }

  private Future<Void> drain(Deadline deadline, List<String> cut, List<String> failures) {
    tracker.refuse();
    Deadline drainDeadline = deadline.cappedAt(policy.drainTimeout());
    // When the drain may use the whole budget, participants are told a slightly earlier deadline,
    // so that what they force there (closing connections and the server) is done before the
    // budget is gone, and the services' stops find the server already closed.
    Duration margin = min(PARTICIPANT_MARGIN, deadline.remaining().dividedBy(20));
    Deadline participantDeadline = deadline.earlierBy(margin).cappedAt(policy.drainTimeout());
    long inFlight = tracker.inFlight();
    long waitMs = participantDeadline.remaining().toMillis();
    try (var f = fields("event", "shutdown_step", "step", "refuse", "in_flight", inFlight, "wait_ms", waitMs)) {
      LOG.info("Refusing new work; waiting up to {} ms for {} in-flight request(s)", waitMs, inFlight);
    }
    List<Future<?>> waits = new ArrayList<>();
    List<String> names = new ArrayList<>();
    waits.add(tracker.drained());
    names.add("in-flight work");
    for (DrainParticipant p : participants) {
      waits.add(call(() -> p.drain(participantDeadline)).onFailure(e -> {
        if (e instanceof DrainCutException) {
          LOG.warn("Shutdown cut: drain {}: {}", p.name(), e.getMessage());
          cut.add("drain " + p.name() + ": " + e.getMessage());
        } else {
          LOG.error("Drain participant {} failed", p.name(), e);
          failures.add("drain " + p.name() + ": " + e.getMessage());
        }
      }));
      names.add(p.name());
    }
    return Bounded.run(clock, drainDeadline.remaining(), () -> Future.join(waits)).map(outcome -> {
      if (outcome.timedOut()) {
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < waits.size(); i++) {
          if (!waits.get(i).isComplete()) {
            pending.add(names.get(i));
          }
        }
        String what = "drain: " + tracker.inFlight() + " request(s) still in flight after "
            + outcome.took().toMillis() + " ms (waiting on " + String.join(", ", pending) + ")";
        logCut(what);
        cut.add(what);
      }
      return null;
    });
  }

  private Future<Void> runCallbacks(int index, ShutdownContext context, List<String> cut, List<String> failures) {
    if (index == callbacks.size()) {
      return Future.succeededFuture();
    }
    NamedCallback cb = callbacks.get(index);
    if (context.deadline().isExpired()) {
      String what = "callback " + cb.name() + ": not run, shutdown budget exhausted";
      logCut(what);
      cut.add(what);
      return runCallbacks(index + 1, context, cut, failures);
    }
    try (var f = fields("event", "shutdown_step", "step", "callback", "callback", cb.name(), "remaining_ms", context.remaining().toMillis())) {
      LOG.info("Running shutdown callback {} ({} ms left)", cb.name(), context.remaining().toMillis());
    }
    return Bounded.run(clock, context.remaining(), () -> cb.callback().run(context)).compose(outcome -> {
      if (outcome.timedOut()) {
        String what = "callback " + cb.name() + ": still running after " + outcome.took().toMillis() + " ms";
        logCut(what);
        cut.add(what);
      } else if (outcome.failure() != null) {
        LOG.error("Shutdown callback {} failed", cb.name(), outcome.failure());
        failures.add("callback " + cb.name() + ": " + outcome.failure());
      }
      return runCallbacks(index + 1, context, cut, failures);
    });
  }

  /**
   * Stops every started service in reverse start order. Each stop is bounded by the stop timeout
   * and, when {@code deadline} is given, by what is left of it. Never fails.
   */
  private Future<StopResult> stopInReverse(Deadline deadline) {
    List<ManagedService> toStop;
    synchronized (started) {
      toStop = new ArrayList<>(started);
      started.clear();
    }
    Collections.reverse(toStop);
    StopResult result = new StopResult(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    Future<Void> chain = Future.succeededFuture();
    for (ManagedService service : toStop) {
      chain = chain.compose(v -> stopOne(service, deadline, result));
    }
    return chain.map(result);
  }

  private Future<Void> stopOne(ManagedService service, Deadline deadline, StopResult result) {
    // With the budget spent, a service still gets its stop call, but no time: a stop that is
    // already done (a server closed while draining) is not cut, any other is.
    boolean exhausted = deadline != null && deadline.isExpired();
    Duration limit = deadline == null ? policy.stopTimeout() : min(policy.stopTimeout(), deadline.remaining());
    try (var f = fields("event", "shutdown_step", "step", "service_stop", "service", service.name())) {
      LOG.info("Stopping service {}", service.name());
    }
    // A restart under way finishes first (it will not start the service again once shutdown was
    // requested); a service that is not running then (restart failed, supervision gave up) is not
    // stopped again.
    Future<Void> pending = restarting.getOrDefault(service.name(), Future.succeededFuture());
    return Bounded.run(clock, limit, () -> pending.transform(ignored -> {
      ServiceStatus now = serviceStatus.get(service.name());
      if (now != ServiceStatus.RUNNING) {
        return Future.succeededFuture();
      }
      serviceStatus.put(service.name(), ServiceStatus.STOPPING);
      return service.stop();
    })).map(outcome -> {
      if (outcome.timedOut()) {
        String what = exhausted
            ? "service " + service.name() + ": not stopped, shutdown budget exhausted"
            : "service " + service.name() + ": stop still running after " + outcome.took().toMillis() + " ms";
        logCut(what);
        result.cut().add(what);
        serviceStatus.put(service.name(), ServiceStatus.FAILED);
      } else if (outcome.failure() != null) {
        LOG.error("Service {} failed to stop", service.name(), outcome.failure());
        result.failures().add("service " + service.name() + ": " + outcome.failure());
        result.errors().add(outcome.failure());
        serviceStatus.put(service.name(), ServiceStatus.FAILED);
      } else if (serviceStatus.get(service.name()) == ServiceStatus.STOPPING) {
        serviceStatus.put(service.name(), ServiceStatus.STOPPED);
      }
      return null;
    });
  }

  private void finish(ShutdownReport report) {
    if (shutdownDone.future().isComplete()) {
      return;
    }
    // Logged before completing: whoever waits on the report may stop logging as soon as it has it.
    try (var f = fields("event", "shutdown_report", "reason", report.reason(), "total_ms", report.total().toMillis(),
        "forced", report.forced(), "clean", report.clean())) {
      if (report.forced()) {
        LOG.warn("Shutdown forced after {} ms: {}", report.total().toMillis(), report.toJson().encode());
      } else {
        LOG.info("Shutdown complete in {} ms: {}", report.total().toMillis(), report.toJson().encode());
      }
    }
    shutdownDone.tryComplete(report);
  }

  private ShutdownReport emptyReport(ShutdownReason reason) {
    return new ShutdownReport(reason, Instant.now(), Duration.ZERO, false, List.of(), List.of(), List.of());
  }

  // Callers hold the lock or are the only thread able to make this move.
  private void move(LifecycleState from, LifecycleState to, String reason) {
    if (!from.canMoveTo(to)) {
      throw new IllegalTransitionException(from, from, to);
    }
    if (!state.compareAndSet(from, to)) {
      throw new IllegalTransitionException(state.get(), from, to);
    }
    try (var f = fields("event", "lifecycle_transition", "from", from, "to", to, "reason", reason)) {
      LOG.info("Lifecycle {} -> {} ({})", from, to, reason);
    }
    StateTransition t = new StateTransition(from, to, reason, Instant.now());
    for (LifecycleListener l : listeners) {
      try {
        l.onTransition(t);
      } catch (RuntimeException e) {
        LOG.warn("Lifecycle listener failed on {} -> {}", from, to, e);
      }
    }
  }

  private static void logCut(String what) {
    try (var f = fields("event", "shutdown_cut", "cut", what)) {
      LOG.warn("Shutdown cut: {}", what);
    }
  }

  /**
   * Puts an event's fields in the thread context for one log line: the JSON log format shows them
   * as keys, the text format leaves them out. Only on lifecycle and shutdown lines, never per request.
   */
  private static CloseableThreadContext.Instance fields(Object... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
    }
    return CloseableThreadContext.putAll(map);
  }

  private void requireNotStarted(String what) {
    if (state.get() != LifecycleState.INITIALIZING) {
      throw new IllegalStateException("cannot " + what + " in state " + state.get());
    }
  }

  private static Future<Void> call(Supplier<? extends Future<?>> step) {
    try {
      Future<?> f = step.get();
      return f == null ? Future.failedFuture(new IllegalStateException("returned no future")) : f.mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Duration since(long t0) {
    return Duration.ofNanos(clock.nanoTime() - t0);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
