package io.quiesce.health;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One thing whose health counts: a managed service or an external dependency, critical or not.
 * Obtained from {@link HealthModel#service} or {@link HealthModel#dependency}.
 *
 * <p>Thread-safe. Report every check or call with {@link #ok()} or {@link #failed(String)}; each
 * report is kept in the history (the last {@link HealthPolicy#historySize()}), and a change of
 * status makes the model re-evaluate the overall health.
 */
public final class Component {

  private final String name;
  private final ComponentKind kind;
  private final boolean critical;
  private final HealthModel model;
  private final int historySize;
  private final ArrayDeque<CheckRecord> history = new ArrayDeque<>(); // guarded by this
  private ComponentStatus status = ComponentStatus.UNKNOWN; // guarded by this
  private Instant since; // guarded by this
  private String lastError; // guarded by this
  private Instant lastErrorAt; // guarded by this
  private int restarts; // guarded by this

  Component(String name, ComponentKind kind, boolean critical, HealthModel model, int historySize) {
    this.name = name;
    this.kind = kind;
    this.critical = critical;
    this.model = model;
    this.historySize = historySize;
    this.since = model.now();
  }

  public String name() {
    return name;
  }

  public boolean critical() {
    return critical;
  }

  /** The last check or call succeeded. */
  public void ok() {
    report(ComponentStatus.OK, null);
  }

  /** The last check or call failed; {@code error} is shown in {@code /health} (keep secrets out of it). */
  public void failed(String error) {
    report(ComponentStatus.FAILED, error == null ? "failed" : error);
  }

  /** Counts one restart by the supervisor. */
  public synchronized void countRestart() {
    restarts++;
  }

  public synchronized ComponentStatus status() {
    return status;
  }

  private void report(ComponentStatus next, String error) {
    boolean changed;
    synchronized (this) {
      Instant at = model.now();
      changed = next != status;
      if (changed) {
        status = next;
        since = at;
      }
      if (error != null) {
        lastError = error;
        lastErrorAt = at;
      }
      if (history.size() == historySize) {
        history.removeFirst();
      }
      history.addLast(new CheckRecord(at, next, error));
    }
    if (changed) {
      model.evaluate();
    }
  }

  /** A consistent snapshot of this component. */
  public synchronized ComponentView view() {
    return new ComponentView(name, kind, critical, status, since, lastError, lastErrorAt, restarts, List.copyOf(history));
  }
}
