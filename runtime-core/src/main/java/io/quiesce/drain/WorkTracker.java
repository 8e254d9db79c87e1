package io.quiesce.drain;

import io.quiesce.api.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Counts units of work in flight (HTTP requests, queue deliveries, jobs) and refuses new ones once
 * draining has reached the refusing step, so that shutdown knows exactly when the last one is done.
 *
 * <p>The request path shares nothing that all threads write: the count is a {@link LongAdder}
 * (one cell per contending thread), the phase a {@code volatile int} that only changes four times
 * in a process's life. {@link #tryEnter()} counts <em>before</em> it reads the phase (Jetty's
 * {@code GracefulHandler} order): {@link #refuse()} writes the phase before it reads the count,
 * so for an entry racing with it either the entry sees REFUSING, or refuse sees the entry
 * counted — never neither. An entry that is refused is not taken back from the count (a cell
 * added to and subtracted from by the same thread can be two cells if the adder rehashed it in
 * between, and a sum reading them in between would see one too few); it is added to a second
 * adder instead, read <em>before</em> the count, so the in-flight figure can be momentarily high,
 * never low. Once refusing, every {@link #exit()} and every refused entry looks at the sum, and
 * whichever brings it to zero completes {@link #drained()} (idempotent: it completes once).
 * Admitted work costs two uncontended atomic adds and two volatile reads; no lock, no allocation.
 *
 * <p>Every successful {@link #tryEnter()} must be paired with exactly one {@link #exit()}.
 */
public final class WorkTracker {

  /** Where the tracker stands; each phase may only be followed by a later one. */
  public enum Phase {
    /** Startup not finished: work is refused. */
    STARTING,
    /** Normal operation. */
    OPEN,
    /** Shutdown has begun: work is still accepted, but callers should tell clients to go away. */
    DRAINING,
    /** New work is refused; the tracker is drained when the count reaches zero. */
    REFUSING
  }

  private static final Logger LOG = LogManager.getLogger(WorkTracker.class);
  private static final int OPEN = Phase.OPEN.ordinal();
  private static final int DRAINING = Phase.DRAINING.ordinal();
  private static final int REFUSING = Phase.REFUSING.ordinal();
  private static final Phase[] PHASES = Phase.values();
  private static final AtomicIntegerFieldUpdater<WorkTracker> PHASE =
      AtomicIntegerFieldUpdater.newUpdater(WorkTracker.class, "phase");

  private volatile int phase; // STARTING
  /** Admitted entries minus exits, plus refused entries (which {@link #refusedEntries} counts). */
  private final LongAdder entered = new LongAdder();
  private final LongAdder refusedEntries = new LongAdder();
  private final Promise<Void> drained = Promise.promise();
  private final Set<DrainSubscription> subscribers = ConcurrentHashMap.newKeySet();

  /**
   * Counts one unit of work in, unless the tracker is starting or refusing.
   *
   * @return true if the work was admitted and {@link #exit()} must follow; false if it must be
   *     refused (nothing stays counted)
   */
  public boolean tryEnter() {
    entered.increment(); // count first, then look: refuse() writes the phase, then reads the count
    int p = phase;
    if (p == OPEN || p == DRAINING) {
      return true;
    }
    refusedEntries.increment();
    if (p == REFUSING) {
      completeIfDrained(); // this entry may have hidden the last exit's zero from it
    }
    return false;
  }

  /** Counts one admitted unit of work out. */
  public void exit() {
    entered.decrement();
    if (phase == REFUSING) {
      completeIfDrained();
    }
  }

  /** Number of admitted units of work not yet finished (momentarily high while entries race). */
  public long inFlight() {
    long refused = refusedEntries.sum(); // first: a refused entry counted here is counted below too
    return Math.max(0, entered.sum() - refused);
  }

  public Phase phase() {
    return PHASES[phase];
  }

  /** True from the start of drain: responses should ask clients to close their connections. */
  public boolean isDraining() {
    return phase >= DRAINING;
  }

  /** Startup completed: admit work. */
  public void open() {
    advanceTo(Phase.OPEN);
  }

  /**
   * Shutdown began: work is still admitted (the drain delay), and every subscriber of
   * {@link #onDrain(Runnable)} is told at once so long waits can finish early.
   */
  public void beginDrain() {
    advanceTo(Phase.DRAINING);
    for (DrainSubscription s : subscribers) {
      s.fire();
    }
  }

  /** Refuse all new work from now on; {@link #drained()} completes when the count reaches zero. */
  public void refuse() {
    beginDrain();
    advanceTo(Phase.REFUSING);
    completeIfDrained();
  }

  /** Completes once refusing with nothing in flight. Never fails. */
  public Future<Void> drained() {
    return drained.future();
  }

  /**
   * Runs {@code action} once when drain begins (at once if it already has). Long waits such as
   * long polls, streams and WebSockets use this to answer early rather than hold shutdown.
   * Close the returned subscription when the wait ends normally, so nothing accumulates.
   */
  public Subscription onDrain(Runnable action) {
    DrainSubscription s = new DrainSubscription(action);
    subscribers.add(s);
    if (isDraining()) {
      s.fire();
    }
    return s;
  }

  private void advanceTo(Phase target) {
    int t = target.ordinal();
    while (true) {
      int p = phase;
      if (p >= t || PHASE.compareAndSet(this, p, t)) {
        return;
      }
    }
  }

  /** Only called once refusing: then the count only falls, so zero seen is zero for good. */
  private void completeIfDrained() {
    if (inFlight() == 0) {
      drained.tryComplete();
    }
  }

  private final class DrainSubscription implements Subscription {
    private final Runnable action;
    private final AtomicBoolean fired = new AtomicBoolean();

    DrainSubscription(Runnable action) {
      this.action = action;
    }

    void fire() {
      if (fired.compareAndSet(false, true)) {
        subscribers.remove(this);
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.warn("A drain subscriber failed; drain goes on", e);
        }
      }
    }

    @Override
    public void close() {
      fired.set(true);
      subscribers.remove(this);
    }
  }
}
