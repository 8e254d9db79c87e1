package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MessageStore.StoredDedup;
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
 * One queue's delivery state in memory: visible messages in send order, delayed ones until their
 * delay passes, received ones hidden until their visibility timeout passes (all on the injected
 * clock), and listeners waiting for messages (long polls). A FIFO queue delivers no message of a
 * group while another of that group is in flight, and deduplicates sends ({@link DedupWindow}).
 * Thread-safe; no method blocks or does I/O, so it may be called from an event loop.
 */
final class Queue {

  /** A message handed out by {@link #receive}. */
  record Delivery(StoredMessage message, MessageOptions options, String receiptHandle, int receiveCount,
      long firstReceiveMillis) {}

  /**
   * What one receive took from the queue: messages delivered, and messages received more often
   * than the redrive policy allows, taken out to be moved to the dead-letter queue.
   */
  record Received(List<Delivery> deliveries, List<StoredMessage> dead) {}

  /** How long SQS answers a retried ReceiveRequestAttemptId with the messages of the first try. */
  static final Duration ATTEMPT_RETENTION = Duration.ofMinutes(5);

  private record Attempt(List<Delivery> deliveries, long expiresAtNanos) {}

  private static final class State {
    final StoredMessage message;
    final MessageOptions options;
    String receiptHandle;
    /** Every handle this message was received with while it stayed in flight (SQS accepts any of them). */
    final Set<String> handles = new java.util.HashSet<>();
    long visibleAtNanos;
    int receiveCount;
    long firstReceiveMillis;

    State(StoredMessage message) {
      this.message = message;
      this.options = MessageOptions.of(message);
    }
  }

  private volatile StoredQueue config;
  private final RuntimeClock clock;
  private final TreeMap<Long, State> visible = new TreeMap<>();
  private final TreeMap<Long, State> delayed = new TreeMap<>();
  private final Map<String, State> inFlight = new HashMap<>();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private final DedupWindow dedup;
  /** FIFO receives by their ReceiveRequestAttemptId, for a retry within {@link #ATTEMPT_RETENTION} to get the same messages. */
  private final Map<String, Attempt> attempts = new HashMap<>();
  private long nextSeq;
  private volatile boolean deleted;

  /**
   * The queue as stored: its messages (each still delayed for what is left of its delay by the
   * wall clock, {@code nowMillis}) and the deduplication ids seen.
   */
  Queue(StoredQueue config, RuntimeClock clock, List<StoredMessage> stored, List<StoredDedup> dedups, long nowMillis) {
    this.config = config;
    this.clock = clock;
    this.dedup = new DedupWindow(clock, dedups, nowMillis);
    for (StoredMessage m : stored) {
      State s = new State(m);
      long delayLeft = m.sentMillis() + s.options.delaySeconds() * 1000L - nowMillis;
      place(s, delayLeft > 0 ? Duration.ofMillis(delayLeft) : Duration.ZERO);
      nextSeq = Math.max(nextSeq, m.seq() + 1);
    }
    for (StoredDedup d : dedups) {
      nextSeq = Math.max(nextSeq, d.seq() + 1);
    }
  }

  boolean fifo() {
    return "true".equals(config.attributes().get(QueueSettings.FIFO));
  }

  DedupWindow dedup() {
    return dedup;
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

  /** Makes stored messages visible (or delayed, as sent) and wakes the waiting receivers. */
  void add(List<StoredMessage> messages) {
    synchronized (this) {
      for (StoredMessage m : messages) {
        State s = new State(m);
        place(s, Duration.ofSeconds(s.options.delaySeconds()));
      }
    }
    wakeListeners();
  }

  private void place(State s, Duration delay) {
    if (delay.isZero()) {
      visible.put(s.message.seq(), s);
    } else {
      s.visibleAtNanos = clock.nanoTime() + delay.toNanos();
      delayed.put(s.message.seq(), s);
    }
  }

  /**
   * Up to {@code max} visible messages, now hidden for {@code visibility}; on a FIFO queue, none
   * of a group that has a message in flight. A message already received {@code maxReceiveCount}
   * times (0: no limit) is not delivered again but taken out as dead.
   */
  synchronized Received receive(int max, Duration visibility, long nowMillis, int maxReceiveCount) {
    restoreExpired();
    List<Delivery> out = new ArrayList<>();
    List<StoredMessage> dead = new ArrayList<>();
    Set<String> busyGroups = new java.util.HashSet<>();
    if (fifo()) {
      inFlight.values().forEach(f -> busyGroups.add(f.options.groupId()));
    }
    Iterator<State> it = visible.values().iterator();
    while (out.size() < max && it.hasNext()) {
      State s = it.next();
      if (busyGroups.contains(s.options.groupId())) {
        continue;
      }
      it.remove();
      if (maxReceiveCount > 0 && s.receiveCount >= maxReceiveCount) {
        dead.add(s.message);
        continue;
      }
      s.receiptHandle = s.message.seq() + "-" + UUID.randomUUID();
      s.visibleAtNanos = clock.nanoTime() + visibility.toNanos();
      s.receiveCount++;
      if (s.firstReceiveMillis == 0) {
        s.firstReceiveMillis = nowMillis;
      }
      inFlight.put(s.receiptHandle, s);
      s.handles.add(s.receiptHandle);
      out.add(new Delivery(s.message, s.options, s.receiptHandle, s.receiveCount, s.firstReceiveMillis));
    }
    return new Received(out, dead);
  }

  /**
   * The messages a receive with {@code attemptId} got, if it is retried within the retention and
   * they are all still in flight with the handles it got; else null (the retry receives anew).
   */
  synchronized List<Delivery> retried(String attemptId) {
    restoreExpired();
    long now = clock.nanoTime();
    attempts.values().removeIf(a -> a.expiresAtNanos() - now <= 0);
    Attempt a = attempts.get(attemptId);
    if (a == null) {
      return null;
    }
    for (Delivery d : a.deliveries()) {
      State s = inFlight.get(d.receiptHandle());
      if (s == null || !d.receiptHandle().equals(s.receiptHandle)) {
        attempts.remove(attemptId);
        return null;
      }
    }
    return a.deliveries();
  }

  /** Records what a receive with {@code attemptId} got, for {@link #retried}. */
  synchronized void remember(String attemptId, List<Delivery> deliveries) {
    attempts.put(attemptId, new Attempt(List.copyOf(deliveries), clock.nanoTime() + ATTEMPT_RETENTION.toNanos()));
  }

  /** Puts back messages taken out as dead that could not be moved (the dead-letter queue is gone). */
  void putBack(List<StoredMessage> messages) {
    synchronized (this) {
      messages.forEach(m -> visible.put(m.seq(), new State(m)));
    }
    wakeListeners();
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
    seqs.addAll(delayed.keySet());
    inFlight.values().forEach(s -> seqs.add(s.message.seq()));
    visible.clear();
    delayed.clear();
    inFlight.clear();
    return seqs;
  }

  synchronized int delayedCount() {
    restoreExpired();
    return delayed.size();
  }

  synchronized int visibleCount() {
    restoreExpired();
    return visible.size();
  }

  synchronized int inFlightCount() {
    restoreExpired();
    return inFlight.size();
  }

  /** How long until the next received or delayed message becomes visible; null if none is in flight or delayed. */
  synchronized Duration untilNextVisible() {
    long now = clock.nanoTime();
    return java.util.stream.Stream.concat(inFlight.values().stream(), delayed.values().stream())
        .mapToLong(s -> s.visibleAtNanos - now).min()
        .stream().mapToObj(left -> Duration.ofNanos(Math.max(0, left))).findFirst().orElse(null);
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
    for (Iterator<State> it = delayed.values().iterator(); it.hasNext(); ) {
      State s = it.next();
      if (s.visibleAtNanos - now <= 0) {
        it.remove();
        visible.put(s.message.seq(), s);
      }
    }
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
