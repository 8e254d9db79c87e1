package io.quiesce.time;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to: tests of timeouts advance it instead of sleeping. Tasks
 * that fall due run on the thread calling {@link #advance(Duration)}, in due order.
 */
public final class ManualClock implements RuntimeClock {

  private record Task(long due, long seq, Runnable action) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable action) {
    Task task = new Task(now + delay.toNanos(), seq++, action);
    tasks.add(task);
    return () -> {
      synchronized (ManualClock.this) {
        tasks.remove(task);
      }
    };
  }

  /** Number of tasks waiting; lets a test wait until the code under test has armed its timer. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  /**
   * Moves time forward and runs every task that falls due, one at a time in due order, including
   * ones scheduled meanwhile; a task cancelled by an earlier one does not run.
   */
  public void advance(Duration step) {
    long target;
    synchronized (this) {
      target = now + step.toNanos();
    }
    while (true) {
      Runnable due;
      synchronized (this) {
        Task next = tasks.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        tasks.poll();
        now = next.due;
        due = next.action;
      }
      due.run();
    }
  }
}
