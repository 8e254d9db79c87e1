package io.quiesce.lifecycle;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.ShutdownTask;
import io.quiesce.api.StateTransition;
import io.quiesce.api.Subscription;
import io.quiesce.drain.WorkTracker;
import io.quiesce.logging.LogFields;
import io.quiesce.logging.StartupFailure;
import io.quiesce.shutdown.ShutdownSequence;
import io.quiesce.time.Deadline;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Ties one runtime's three parts together: the {@link StateMachine}, the {@link ManagedServices}
 * and the {@link ShutdownSequence}. It starts the services (rolling back on failure) and runs
 * the shutdown once, whoever asks, with one shared result.
 *
 * <p>Thread-safe. The built-in shutdown tasks are: {@code drain subscribers} (READINESS_DOWN),
 * {@code drain delay} (DRAIN_DELAY, when configured), {@code refuse new work} and
 * {@code in-flight work} (DRAIN_REQUESTS), and one task per started service (STOP_SERVICES).
 */
public final class LifecycleManager {

  private static final Logger LOG = LogManager.getLogger(LifecycleManager.class);

  private final RuntimeClock clock;
  private final LifecyclePolicy policy;
  private final WorkTracker tracker = new WorkTracker();
  private final StateMachine states = new StateMachine();
  private final ManagedServices services;
  private final ShutdownSequence sequence;
  private final Promise<ShutdownReport> shutdownDone = Promise.promise();
  private ShutdownReason requested; // guarded by this

  public LifecycleManager(RuntimeClock clock, LifecyclePolicy policy) {
    this.clock = clock;
    this.policy = policy;
    this.services = new ManagedServices(clock, policy.stopTimeout(), this::acceptsRestarts);
    this.sequence = new ShutdownSequence(clock);
    sequence.add(ShutdownPhase.READINESS_DOWN, "drain subscribers", ctx -> {
      tracker.beginDrain();
      return Future.succeededFuture();
    });
    if (!policy.drainDelay().isZero()) {
      sequence.add(ShutdownPhase.DRAIN_DELAY, "drain delay", this::drainDelay);
    }
    // Refusing (503) starts once the listener is closed (UNBIND), not before: a refusal asks the
    // client to close its connection, and one that reconnects while the listening socket is still
    // open lands in its backlog, which the close resets.
    sequence.add(ShutdownPhase.DRAIN_REQUESTS, "refuse new work", ctx -> {
      tracker.refuse();
      return Future.succeededFuture();
    });
    sequence.add(ShutdownPhase.DRAIN_REQUESTS, "in-flight work", new ShutdownTask() {
      @Override
      public Future<Void> run(ShutdownContext context) {
        return tracker.drained();
      }

      @Override
      public String whatIsLeft() {
        return tracker.inFlight() + " request(s) still in flight";
      }
    });
  }

  public LifecycleState state() {
    return states.state();
  }

  /** Tells {@code listener} of every state transition, in order, on the thread that made it. */
  public Subscription onTransition(Handler<StateTransition> listener) {
    return states.listen(listener);
  }

  /** Counts in-flight work; the HTTP layer and any other entry point must go through it. */
  public WorkTracker tracker() {
    return tracker;
  }

  public LifecyclePolicy policy() {
    return policy;
  }

  /** The managed services: statuses for health, restart and stop-failed for the supervisor. */
  public ManagedServices services() {
    return services;
  }

  /** Registers a service; services start in registration order. Only before {@link #start()}. */
  public void register(ManagedService service) {
    if (state() != LifecycleState.INITIALIZING) {
      throw new IllegalStateException("cannot register a service in state " + state());
    }
    services.register(service);
  }

  /**
   * Adds a task to a shutdown phase. Tasks of a phase run together, but in the sequential phases
   * (BEFORE_STOP, STOP_SERVICES) one after another in the order added.
   */
  public void addTask(ShutdownPhase phase, String name, ShutdownTask task) {
    sequence.add(phase, name, task);
  }

  /** The names of the tasks in a phase so far (the services' stops are added when it runs). */
  public List<String> taskNames(ShutdownPhase phase) {
    return sequence.taskNames(phase);
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
    return start("nothing", Future::succeededFuture);
  }

  /**
   * Like {@link #start()}, with a first step once STARTING, before any service: binding the
   * listener, so that health answers while services start. If it fails, the state becomes FAILED
   * and no service is started.
   */
  public Future<Void> start(String firstStep, Supplier<Future<?>> first) {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      LifecycleState now = state();
      if (now != LifecycleState.INITIALIZING) {
        return Future.failedFuture(new IllegalTransitionException(now, LifecycleState.INITIALIZING, LifecycleState.STARTING));
      }
      states.move(LifecycleState.INITIALIZING, LifecycleState.STARTING, "start requested");
    }
    ManagedServices.call(first).onComplete(ar -> {
      if (ar.succeeded()) {
        startFrom(0, done);
        return;
      }
      synchronized (this) {
        states.move(LifecycleState.STARTING, LifecycleState.FAILED, firstStep + " failed: " + ar.cause().getMessage());
        if (requested != null) {
          finish(ShutdownReport.empty(requested));
        }
      }
      done.fail(ar.cause());
    });
    return done.future();
  }

  private void startFrom(int index, Promise<Void> done) {
    synchronized (this) {
      if (requested != null) {
        abortStartup(done);
        return;
      }
      if (index == services.size()) {
        states.move(LifecycleState.STARTING, LifecycleState.RUNNING, "all services started");
        tracker.open();
        done.complete();
        return;
      }
    }
    String name = services.nameAt(index);
    services.startOne(index).onComplete(ar -> {
      if (ar.succeeded()) {
        startFrom(index + 1, done);
      } else {
        rollBack(name, ar.cause(), done);
      }
    });
  }

  private void rollBack(String failed, Throwable cause, Promise<Void> done) {
    // A cause the user can fix (an unusable directory) in one line; a bug keeps its stack trace.
    StartupFailure.oneLine(cause, null, 0).ifPresentOrElse(
        line -> LOG.error("Service {} failed to start ({}); rolling back the services started before it", failed, line),
        () -> LOG.error("Service {} failed to start; rolling back the services started before it", failed, cause));
    services.rollBack().onComplete(ar -> {
      Throwable error = cause;
      try {
        error = withRollbackProblems(cause, ar.result());
      } finally {
        synchronized (this) {
          states.move(LifecycleState.STARTING, LifecycleState.FAILED, "service " + failed + " failed to start: " + cause.getMessage());
          if (requested != null) {
            finish(ShutdownReport.empty(requested));
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
  private static Throwable withRollbackProblems(Throwable cause, ManagedServices.RollbackResult result) {
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

  // Called with the lock held, while STARTING and a shutdown was requested between two services:
  // nothing was admitted yet, so the listener is closed, its connections drained (they were only
  // ever refused) and the services started so far are stopped; BEFORE_STOP has nothing to save.
  private void abortStartup(Promise<Void> done) {
    ShutdownReason reason = requested;
    states.move(LifecycleState.STARTING, LifecycleState.STOPPING, "shutdown requested during startup (" + reason + ")");
    runSequence(reason, List.of(ShutdownPhase.UNBIND, ShutdownPhase.DRAIN_REQUESTS, ShutdownPhase.STOP_SERVICES))
        .onComplete(ar -> done.fail(new StartupAbortedException(reason.name())));
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
      switch (state()) {
        case INITIALIZING -> {
          states.move(LifecycleState.INITIALIZING, LifecycleState.STOPPING, reason.name());
          states.move(LifecycleState.STOPPING, LifecycleState.STOPPED, reason.name());
          finish(ShutdownReport.empty(reason));
        }
        case STARTING -> LOG.info("Shutdown ({}) requested during startup; it takes effect after the service now starting", reason);
        case RUNNING -> runSequence(reason, Arrays.asList(ShutdownPhase.values()));
        default -> finish(ShutdownReport.empty(reason)); // STOPPED or FAILED: nothing left to do
      }
    }
    return shutdownDone.future();
  }

  /*
   * The shutdown, in one place: the phases of ShutdownPhase in order, all under one deadline
   * (shutdown_timeout). The state moves to DRAINING as READINESS_DOWN begins and to STOPPING as
   * BEFORE_STOP begins; UNBIND and DRAIN_REQUESTS share the drain deadline (drain_timeout from
   * the moment refusing begins). Whatever overruns is cut and named; the state ends STOPPED.
   */
  private Future<Void> runSequence(ShutdownReason reason, List<ShutdownPhase> phases) {
    long t0 = clock.nanoTime();
    Instant startedAt = Instant.now();
    Deadline deadline = Deadline.after(clock, policy.shutdownTimeout());
    Deadline[] drain = {null};
    ShutdownSequence.Plan plan = new ShutdownSequence.Plan() {
      @Override
      public Deadline begin(ShutdownPhase phase) {
        switch (phase) {
          case READINESS_DOWN -> move(LifecycleState.RUNNING, LifecycleState.DRAINING, reason.name());
          case UNBIND -> drain[0] = deadline.cappedAt(policy.drainTimeout());
          case BEFORE_STOP -> move(LifecycleState.DRAINING, LifecycleState.STOPPING, reason.name());
          default -> { }
        }
        return phase == ShutdownPhase.UNBIND || phase == ShutdownPhase.DRAIN_REQUESTS ? drain[0] : deadline;
      }

      @Override
      public List<ShutdownSequence.NamedTask> leadingTasks(ShutdownPhase phase) {
        return phase == ShutdownPhase.STOP_SERVICES ? services.stopTasks() : List.of();
      }

      @Override
      public long inFlight() {
        return tracker.inFlight();
      }
    };
    return sequence.run(reason, phases, plan).map(reports -> {
      synchronized (this) {
        move(LifecycleState.STOPPING, LifecycleState.STOPPED, reason.name());
      }
      finish(new ShutdownReport(reason, startedAt, Duration.ofNanos(clock.nanoTime() - t0), reports));
      return null;
    });
  }

  private synchronized void move(LifecycleState from, LifecycleState to, String reason) {
    states.move(from, to, reason);
  }

  private Future<Void> drainDelay(ShutdownContext ctx) {
    Duration d = min(policy.drainDelay(), ctx.remaining());
    try (var f = LogFields.of("event", "shutdown_step", "step", "drain_delay", "delay_ms", d.toMillis())) {
      LOG.info("Drain delay: still serving for {} ms, readiness reports 503", d.toMillis());
    }
    Promise<Void> p = Promise.promise();
    clock.schedule(d, p::tryComplete);
    return p.future();
  }

  private boolean acceptsRestarts() {
    synchronized (this) {
      return requested == null && state() == LifecycleState.RUNNING;
    }
  }

  private void finish(ShutdownReport report) {
    if (shutdownDone.future().isComplete()) {
      return;
    }
    // Logged before completing: whoever waits on the report may stop logging as soon as it has it.
    try (var f = LogFields.of("event", "shutdown_report", "reason", report.reason(), "total_ms", report.total().toMillis(),
        "forced", report.forced(), "clean", report.clean())) {
      if (report.forced()) {
        LOG.warn("Shutdown forced after {} ms: {}", report.total().toMillis(), report.toJson().encode());
      } else {
        LOG.info("Shutdown complete in {} ms: {}", report.total().toMillis(), report.toJson().encode());
      }
    }
    shutdownDone.tryComplete(report);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
