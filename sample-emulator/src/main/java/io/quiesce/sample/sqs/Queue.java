package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.quiesce.sample.storage.MessageStore.StoredQueue;
import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One queue's delivery state in memory: visible messages in send order, received ones hidden until
 * their visibility timeout passes (on the injected clock), and listeners waiting for messages (long
 * polls). Thread-safe; no method blocks or does I/O, so it may be called from an event loop.
 */
final class Queue {

  /** A message handed out by {@link #receive}. */
  record Delivery(StoredMessage message, String receiptHandle, int receiveCount, long firstReceiveMillis) {}

  private static final class State {
    final StoredMessage message;
    String receiptHandle;
    /** Every handle this message was received with while it stayed in flight (SQS accepts any of them). */
    final Set<String> handles = new java.util.HashSet<>();
    long visibleAtNanos;
    int receiveCount;
    long firstReceiveMillis;

    State(StoredMessage message) {
      this.message = message;
    }
  }

  private volatile StoredQueue config;
  private final RuntimeClock clock;
  private final TreeMap<Long, State> visible = new TreeMap<>();
  private final Map<String, State> inFlight = new HashMap<>();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private long nextSeq;
  private volatile boolean deleted;

  Queue(StoredQueue config, RuntimeClock clock, List<StoredMessage> stored) {
    this.config = config;
    this.clock = clock;
    for (StoredMessage m : stored) {
      visible.put(m.seq(), new State(m));
      nextSeq = Math.max(nextSeq, m.seq() + 1);
    }
  }

  String name() {
    return config.name();
  }

  StoredQueue config() {
    return config;
  }

  /** New settings (SetQueueAttributes); they apply to what is sent and received from now on. */
  void reconfigure(StoredQueue config) {
    this.config = config;
  }

  String attribute(String name) {
    return config.attributes().get(name);
  }

  /** Reserves sequence numbers for messages about to be stored. */
  synchronized long reserveSeqs(int count) {
    long first = nextSeq;
    nextSeq += count;
    return first;
  }

  /** Makes stored messages visible and wakes the waiting receivers. */
  void add(List<StoredMessage> messages) {
    synchronized (this) {
      for (StoredMessage m : messages) {
        visible.put(m.seq(), new State(m));
      }
    }
    wakeListeners();
  }

  /** Up to {@code max} visible messages, now hidden for {@code visibility}. */
  synchronized List<Delivery> receive(int max, Duration visibility, long nowMillis) {
    restoreExpired();
    List<Delivery> out = new ArrayList<>();
    Iterator<State> it = visible.values().iterator();
    while (out.size() < max && it.hasNext()) {
      State s = it.next();
      it.remove();
      s.receiptHandle = s.message.seq() + "-" + UUID.randomUUID();
      s.visibleAtNanos = clock.nanoTime() + visibility.toNanos();
      s.receiveCount++;
      if (s.firstReceiveMillis == 0) {
        s.firstReceiveMillis = nowMillis;
      }
      inFlight.put(s.receiptHandle, s);
      s.handles.add(s.receiptHandle);
      out.add(new Delivery(s.message, s.receiptHandle, s.receiveCount, s.firstReceiveMillis));
    }
    return out;
  }

  /**
   * Removes the message received with {@code receiptHandle}.
   *
   * @return the removed message; null if it is already gone (deleting twice succeeds, as in SQS)
   * A handle from an earlier receive of a message that is in flight again deletes it, as in SQS.
   *
   * @throws SqsError if the handle is malformed or the message became visible again since
   */
  synchronized StoredMessage delete(String receiptHandle) {
    State s = inFlight.remove(receiptHandle);
    if (s != null) {
      return s.message;
    }
    long seq = seqOf(receiptHandle);
    for (Iterator<State> it = inFlight.values().iterator(); it.hasNext(); ) {
      State f = it.next();
      if (f.message.seq() == seq && f.handles.contains(receiptHandle)) {
        it.remove();
        return f.message;
      }
    }
    if (visible.containsKey(seq) || inFlight.values().stream().anyMatch(f -> f.message.seq() == seq)) {
      throw new SqsError("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
          "The receipt handle has expired: the message became visible again or was received again.");
    }
    return null;
  }

  /** Hides a received message for {@code timeout} from now (0: visible at once). */
  void changeVisibility(String receiptHandle, Duration timeout) {
    synchronized (this) {
      seqOf(receiptHandle);
      restoreExpired();
      State s = inFlight.get(receiptHandle);
      if (s == null) {
        throw new SqsError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
            "The message referred to is not in flight.");
      }
      s.visibleAtNanos = clock.nanoTime() + timeout.toNanos();
      restoreExpired();
    }
    wakeListeners();
  }

  /** Removes every message; returns their sequence numbers (to delete from storage). */
  synchronized List<Long> purge() {
    List<Long> seqs = new ArrayList<>(visible.keySet());
    inFlight.values().forEach(s -> seqs.add(s.message.seq()));
    visible.clear();
    inFlight.clear();
    return seqs;
  }

  synchronized int visibleCount() {
    restoreExpired();
    return visible.size();
  }

  synchronized int inFlightCount() {
    restoreExpired();
    return inFlight.size();
  }

  /** How long until the next received message becomes visible again; null if none is in flight. */
  synchronized Duration untilNextVisible() {
    long now = clock.nanoTime();
    return inFlight.values().stream().mapToLong(s -> s.visibleAtNanos).min()
        .stream().mapToObj(at -> Duration.ofNanos(Math.max(0, at - now))).findFirst().orElse(null);
  }

  /** Calls {@code listener} (on the adding thread) whenever messages may have become visible; close to stop. */
  AutoCloseable onMessages(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void markDeleted() {
    deleted = true;
    wakeListeners();
  }

  boolean deleted() {
    return deleted;
  }

  private void wakeListeners() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  private void restoreExpired() {
    long now = clock.nanoTime();
    Iterator<State> it = inFlight.values().iterator();
    while (it.hasNext()) {
      State s = it.next();
      if (s.visibleAtNanos - now <= 0) {
        it.remove();
        s.receiptHandle = null;
        visible.put(s.message.seq(), s);
      }
    }
  }

  private static long seqOf(String receiptHandle) {
    int dash = receiptHandle == null ? -1 : receiptHandle.indexOf('-');
    try {
      return Long.parseLong(receiptHandle.substring(0, dash));
    } catch (RuntimeException e) {
      throw new SqsError("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
          "The input receipt handle \"" + receiptHandle + "\" is not a valid receipt handle.");
    }
  }
}
