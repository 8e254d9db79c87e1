package io.quiesce.drain;

import io.quiesce.api.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Counts units of work in flight (HTTP requests, queue deliveries, jobs) and refuses new ones once
 * draining has reached the refusing step, so that shutdown knows exactly when the last one is done.
 *
 * <p>All state is one {@code long}: the two top bits hold the {@link Phase}, the rest the count.
 * {@link #tryEnter()} and {@link #exit()} are each one atomic operation (plus a retry under
 * contention), take no lock and allocate nothing. Phases only move forward, and once refusing the
 * count only goes down, so "drained" (refusing and zero) is reached at most once.
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
  private static final int PHASE_SHIFT = 62;
  private static final long COUNT_MASK = (1L << PHASE_SHIFT) - 1;
  private static final long OPEN_BITS = (long) Phase.OPEN.ordinal() << PHASE_SHIFT;
  private static final long DRAINING_BITS = (long) Phase.DRAINING.ordinal() << PHASE_SHIFT;
  private static final long REFUSING_BITS = (long) Phase.REFUSING.ordinal() << PHASE_SHIFT;
  private static final Phase[] PHASES = Phase.values();
  private static final AtomicLongFieldUpdater<WorkTracker> STATE =
      AtomicLongFieldUpdater.newUpdater(WorkTracker.class, "state");

  private volatile long state; // STARTING, count 0
  private final Promise<Void> drained = Promise.promise();
  private final Set<DrainSubscription> subscribers = ConcurrentHashMap.newKeySet();

  /**
   * Counts one unit of work in, unless the tracker is starting or refusing.
   *
   * @return true if the work was admitted and {@link #exit()} must follow; false if it must be
   *     refused (nothing was counted)
   */
  public boolean tryEnter() {
    while (true) {
      long s = state;
      long phaseBits = s & ~COUNT_MASK;
      // Checking and counting in one compare-and-set closes the race in which a request slips in
      // between "not refusing yet" and the increment.
      if (phaseBits != OPEN_BITS && phaseBits != DRAINING_BITS) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s + 1)) {
        return true;
      }
    }
  }

  /** Counts one admitted unit of work out. */
  public void exit() {
    if (STATE.decrementAndGet(this) == REFUSING_BITS) {
      drained.tryComplete();
    }
  }

  /** Number of admitted units of work not yet finished. */
  public long inFlight() {
    return state & COUNT_MASK;
  }

  public Phase phase() {
    return PHASES[(int) (state >>> PHASE_SHIFT)];
  }

  /** True from the start of drain: responses should ask clients to close their connections. */
  public boolean isDraining() {
    return state < 0; // DRAINING and REFUSING are the two phases with the top bit set
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
    if (inFlight() == 0) {
      drained.tryComplete();
    }
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
    long bits = (long) target.ordinal() << PHASE_SHIFT;
    while (true) {
      long s = state;
      if ((s >>> PHASE_SHIFT) >= target.ordinal()) {
        return;
      }
      if (STATE.compareAndSet(this, s, (s & COUNT_MASK) | bits)) {
        return;
      }
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
