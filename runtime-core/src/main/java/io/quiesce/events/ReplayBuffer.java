package io.quiesce.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent events, oldest dropped first once {@code capacity} is reached. Thread-safe
 * (one lock, held only to copy references); a capacity of 0 keeps nothing.
 */
public final class ReplayBuffer {

  private final int capacity;
  private final ArrayDeque<EventMessage> events;

  public ReplayBuffer(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
    }
    this.capacity = capacity;
    this.events = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public synchronized void add(EventMessage message) {
    if (capacity == 0) {
      return;
    }
    if (events.size() == capacity) {
      events.removeFirst();
    }
    events.addLast(message);
  }

  /** Up to {@code limit} of the newest events matching {@code filter}, oldest first. */
  public List<EventMessage> recent(SubjectFilter filter, int limit) {
    List<EventMessage> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(events.size());
      for (Iterator<EventMessage> it = events.descendingIterator(); it.hasNext() && snapshot.size() < limit; ) {
        EventMessage m = it.next();
        if (filter.matches(m.subject())) {
          snapshot.add(m);
        }
      }
    }
    java.util.Collections.reverse(snapshot);
    return snapshot;
  }

  public int capacity() {
    return capacity;
  }
}
