package io.quiesce.shutdown;

import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.ShutdownTask;
import io.quiesce.api.TaskCutException;
import io.quiesce.logging.LogFields;
import io.quiesce.time.Bounded;
import io.quiesce.time.Deadline;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs the {@link ShutdownPhase}s in order, each phase's tasks together or one after another, and
 * reports every task's outcome. Modelled on Pekko's {@code CoordinatedShutdown}: named phases, one
 * way to add work ({@link #add}), a budget per phase, and a run that never fails — what overruns
 * is cut and named, what fails is reported, and the next phase starts either way.
 *
 * <p>It holds no lifecycle state: the caller ({@code LifecycleManager}) runs it once, and through a
 * {@link Plan} decides each phase's deadline, moves the state when a phase begins, and adds the
 * tasks it builds at that moment (the managed services' stops).
 *
 * <p>Thread-safe: tasks may be added from any thread, also while a run is under way (a task added
 * to a phase that has begun is not run).
 */
public final class ShutdownSequence {

  private static final Logger LOG = LogManager.getLogger(ShutdownSequence.class);
  /** At most this much of a phase is kept after its tasks' own deadline, to finish what they force. */
  private static final Duration TASK_MARGIN = Duration.ofMillis(50);

  /** A task with the name it has in logs and reports. */
  public record NamedTask(String name, ShutdownTask task) {}

  /** What the caller decides while the sequence runs. */
  public interface Plan {
    /** Called as {@code phase} begins: move the state, compute what the phase may take. */
    Deadline begin(ShutdownPhase phase);

    /** Tasks that run before the added ones in {@code phase}, built when it begins. */
    default List<NamedTask> leadingTasks(ShutdownPhase phase) {
      return List.of();
    }

    /** Work in flight now, for the report. */
    long inFlight();
  }

  private final RuntimeClock clock;
  private final Map<ShutdownPhase, List<NamedTask>> tasks = new EnumMap<>(ShutdownPhase.class);

  public ShutdownSequence(RuntimeClock clock) {
    this.clock = clock;
    for (ShutdownPhase p : ShutdownPhase.values()) {
      tasks.put(p, new CopyOnWriteArrayList<>());
    }
  }

  /** Adds a task to a phase; in sequential phases tasks run in the order added. */
  public void add(ShutdownPhase phase, String name, ShutdownTask task) {
    if (name == null || name.isBlank() || task == null) {
      throw new IllegalArgumentException("a shutdown task needs a name and a body");
    }
    tasks.get(phase).add(new NamedTask(name, task));
  }

  /** The names of the tasks added to a phase, in order. */
  public List<String> taskNames(ShutdownPhase phase) {
    return tasks.get(phase).stream().map(NamedTask::name).toList();
  }

  /** Runs {@code phases} (in enum order) and completes with their reports. Never fails. */
  public Future<List<ShutdownReport.Phase>> run(ShutdownReason reason, List<ShutdownPhase> phases, Plan plan) {
    List<ShutdownReport.Phase> done = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (ShutdownPhase phase : ShutdownPhase.values()) {
      if (phases.contains(phase)) {
        chain = chain.compose(v -> runPhase(reason, phase, plan).map(report -> {
          done.add(report);
          return null;
        }));
      }
    }
    return chain.map(v -> done);
  }

  private Future<ShutdownReport.Phase> runPhase(ShutdownReason reason, ShutdownPhase phase, Plan plan) {
    long t0 = clock.nanoTime();
    long inFlightAtStart = plan.inFlight();
    Deadline deadline;
    List<NamedTask> list = new ArrayList<>();
    try {
      deadline = plan.begin(phase);
      list.addAll(plan.leadingTasks(phase));
    } catch (RuntimeException e) { // a bug in the caller: report it, never hang the shutdown
      LOG.error("Shutdown phase {} could not begin", phase.label(), e);
      return Future.succeededFuture(new ShutdownReport.Phase(phase.label(), since(t0), inFlightAtStart, plan.inFlight(),
          List.of(new ShutdownReport.Task("begin", ShutdownReport.Outcome.FAILED, since(t0), String.valueOf(e)))));
    }
    list.addAll(tasks.get(phase));
    if (!list.isEmpty()) {
      try (var f = LogFields.of("event", "shutdown_phase", "phase", phase.label(), "tasks", list.size(),
          "remaining_ms", deadline.remaining().toMillis())) {
        LOG.info("Shutdown phase {}: {} ({} ms left)", phase.label(), String.join(", ", list.stream().map(NamedTask::name).toList()),
            deadline.remaining().toMillis());
      }
    }
    Future<List<ShutdownReport.Task>> outcomes = phase.sequential()
        ? runInTurn(reason, phase, list, 0, deadline, new ArrayList<>())
        : runTogether(reason, phase, list, deadline);
    return outcomes.map(results -> new ShutdownReport.Phase(phase.label(), since(t0), inFlightAtStart, plan.inFlight(), results));
  }

  private Future<List<ShutdownReport.Task>> runTogether(ShutdownReason reason, ShutdownPhase phase, List<NamedTask> list,
      Deadline deadline) {
    ShutdownContext context = new ShutdownContext(reason, taskDeadline(deadline));
    List<Future<ShutdownReport.Task>> all = new ArrayList<>();
    for (NamedTask t : list) {
      all.add(runOne(phase, t, context, deadline));
    }
    return Future.all(all).map(cf -> all.stream().map(Future::result).toList());
  }

  private Future<List<ShutdownReport.Task>> runInTurn(ShutdownReason reason, ShutdownPhase phase, List<NamedTask> list,
      int index, Deadline deadline, List<ShutdownReport.Task> results) {
    if (index == list.size()) {
      return Future.succeededFuture(results);
    }
    NamedTask t = list.get(index);
    if (deadline.isExpired()) {
      String what = "not run, shutdown budget exhausted";
      logCut(phase, t.name(), what);
      results.add(new ShutdownReport.Task(t.name(), ShutdownReport.Outcome.SKIPPED, Duration.ZERO, what));
      return runInTurn(reason, phase, list, index + 1, deadline, results);
    }
    return runOne(phase, t, new ShutdownContext(reason, taskDeadline(deadline)), deadline).compose(r -> {
      results.add(r);
      return runInTurn(reason, phase, list, index + 1, deadline, results);
    });
  }

  /** Runs one task bounded by its phase's deadline; the future never fails. */
  private Future<ShutdownReport.Task> runOne(ShutdownPhase phase, NamedTask t, ShutdownContext context, Deadline deadline) {
    return Bounded.run(clock, deadline.remaining(), () -> t.task().run(context)).map(outcome -> {
      if (outcome.timedOut()) {
        String left = t.task().whatIsLeft();
        String what = (left == null ? "still running" : left) + " after " + outcome.took().toMillis() + " ms";
        logCut(phase, t.name(), what);
        return new ShutdownReport.Task(t.name(), ShutdownReport.Outcome.CUT, outcome.took(), what);
      }
      Throwable e = outcome.failure();
      if (e instanceof TaskCutException) {
        logCut(phase, t.name(), e.getMessage());
        return new ShutdownReport.Task(t.name(), ShutdownReport.Outcome.CUT, outcome.took(), e.getMessage());
      }
      if (e != null) {
        LOG.error("Shutdown task {}/{} failed", phase.label(), t.name(), e);
        return new ShutdownReport.Task(t.name(), ShutdownReport.Outcome.FAILED, outcome.took(),
            e.getMessage() == null ? e.toString() : e.getMessage());
      }
      return new ShutdownReport.Task(t.name(), ShutdownReport.Outcome.OK, outcome.took(), null);
    });
  }

  // When a phase may use the rest of the budget, its tasks are told a slightly earlier deadline, so
  // that what they force there (closing connections) is done before the runtime stops waiting.
  private static Deadline taskDeadline(Deadline phaseDeadline) {
    Duration left = phaseDeadline.remaining();
    Duration margin = left.dividedBy(20);
    return phaseDeadline.earlierBy(margin.compareTo(TASK_MARGIN) < 0 ? margin : TASK_MARGIN);
  }

  private static void logCut(ShutdownPhase phase, String task, String what) {
    try (var f = LogFields.of("event", "shutdown_cut", "phase", phase.label(), "task", task, "cut", what)) {
      LOG.warn("Shutdown cut: {}/{}: {}", phase.label(), task, what);
    }
  }

  private Duration since(long t0) {
    return Duration.ofNanos(clock.nanoTime() - t0);
  }
}
