package io.quiesce.sample.pubsub;

import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import io.quiesce.time.RuntimeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One subscription's unacknowledged messages and who holds them: at-least-once delivery with ack
 * deadlines on the injected clock. A message is <em>ready</em> (in publish order) until delivered,
 * then <em>leased</em> until acknowledged or until its deadline passes, when it is ready again and
 * delivered anew with the next delivery attempt. Thread-safe; nothing here blocks or does I/O.
 *
 * <p>An ack id is {@code seq-attempt}. An acknowledgement removes the message whichever delivery
 * it names, also one whose deadline has passed: the subscriber processed it, and redelivering it
 * would only repeat work. A deadline change applies only to the delivery it names (a later
 * delivery has its own deadline); for any other it is ignored, as the real service does with
 * expired ack ids.
 */
final class Backlog {

  private static final class Entry {
    final long seq;
    final PubsubMessage message;
    int attempt;
    long deadlineNanos;

    Entry(long seq, PubsubMessage message) {
      this.seq = seq;
      this.message = message;
    }
  }

  private final RuntimeClock clock;
  private final TreeMap<Long, Entry> ready = new TreeMap<>();
  private final Map<Long, Entry> leased = new HashMap<>();
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
  private RuntimeClock.Cancellable expiry;
  private long expiryAtNanos;
  private volatile boolean deleted;

  Backlog(RuntimeClock clock) {
    this.clock = clock;
  }

  /** Makes published messages ready (seq to message) and wakes the streams. */
  void add(Map<Long, PubsubMessage> messages) {
    synchronized (this) {
      messages.forEach((seq, m) -> ready.put(seq, new Entry(seq, m)));
    }
    wake();
  }

  /** Up to {@code max} ready messages, leased for {@code deadline}. */
  List<ReceivedMessage> lease(int max, Duration deadline) {
    List<ReceivedMessage> out = new ArrayList<>();
    synchronized (this) {
      restoreExpired();
      long until = clock.nanoTime() + deadline.toNanos();
      for (Iterator<Entry> it = ready.values().iterator(); out.size() < max && it.hasNext(); ) {
        Entry e = it.next();
        it.remove();
        e.attempt++;
        e.deadlineNanos = until;
        leased.put(e.seq, e);
        out.add(ReceivedMessage.newBuilder().setAckId(e.seq + "-" + e.attempt).setMessage(e.message)
            .setDeliveryAttempt(e.attempt).build());
      }
      if (!out.isEmpty()) {
        armExpiry();
      }
    }
    return out;
  }

  /** Removes the messages the ack ids name; returns the seqs removed (those still here). */
  synchronized List<Long> acknowledge(Collection<String> ackIds) {
    List<Long> removed = new ArrayList<>();
    for (String ackId : ackIds) {
      long seq = AckId.seq(ackId);
      if (leased.remove(seq) != null || ready.remove(seq) != null) {
        removed.add(seq);
      }
    }
    return removed;
  }

  /** Moves the deadline of the deliveries named to {@code deadline} from now; zero makes them ready at once. */
  void modifyDeadline(Collection<String> ackIds, Duration deadline) {
    boolean nacked = false;
    synchronized (this) {
      long until = clock.nanoTime() + deadline.toNanos();
      for (String ackId : ackIds) {
        long seq = AckId.seq(ackId);
        Entry e = leased.get(seq);
        if (e == null || e.attempt != AckId.attempt(ackId)) {
          continue; // expired or already acknowledged: ignored, as by the real service
        }
        if (deadline.isZero()) {
          leased.remove(seq);
          ready.put(seq, e);
          nacked = true;
        } else {
          e.deadlineNanos = until;
        }
      }
      armExpiry();
    }
    if (nacked) {
      wake();
    }
  }

  /** Unacknowledged messages, ready or leased. */
  synchronized int size() {
    return ready.size() + leased.size();
  }

  /** Calls {@code listener} (on any thread) whenever messages may have become ready; close to stop. */
  AutoCloseable onReady(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** The subscription is gone: streams learn it through their listener. */
  void markDeleted() {
    deleted = true;
    synchronized (this) {
      if (expiry != null) {
        expiry.cancel();
      }
    }
    wake();
  }

  boolean deleted() {
    return deleted;
  }

  private void wake() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  private void restoreExpired() {
    long now = clock.nanoTime();
    for (Iterator<Entry> it = leased.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.deadlineNanos - now <= 0) {
        it.remove();
        ready.put(e.seq, e);
      }
    }
  }

  // One timer, at the earliest deadline: when it fires, expired leases become ready and the streams hear of it.
  private void armExpiry() {
    long earliest = Long.MAX_VALUE;
    boolean any = false;
    for (Entry e : leased.values()) {
      if (!any || e.deadlineNanos - earliest < 0) {
        earliest = e.deadlineNanos;
        any = true;
      }
    }
    if (!any || deleted || (expiry != null && expiryAtNanos - earliest <= 0)) {
      return;
    }
    if (expiry != null) {
      expiry.cancel();
    }
    expiryAtNanos = earliest;
    expiry = clock.schedule(Duration.ofNanos(Math.max(0, earliest - clock.nanoTime())), this::expire);
  }

  private void expire() {
    boolean restored;
    synchronized (this) {
      expiry = null;
      int before = ready.size();
      restoreExpired();
      restored = ready.size() > before;
      armExpiry();
    }
    if (restored) {
      wake();
    }
  }
}
