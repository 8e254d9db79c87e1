package io.quiesce.events;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where events meet: publishing sends an event to every transport, receiving (local or from a
 * transport) delivers it to matching subscribers and records it in the replay buffer.
 *
 * <p>Guarantees callers may rely on:
 * <ul>
 *   <li>{@link #publish} never throws and never fails: a transport that throws or fails is logged
 *       and counted in {@link #publishFailures()}, the other transports still get the event.</li>
 *   <li>An event published here is delivered to local subscribers even when no transport works.</li>
 *   <li>An event seen twice (same {@code event_id}, e.g. over the event bus and NATS) is delivered once.</li>
 *   <li>Subscribers run one at a time on the hub's executor (in the runtime: one Vert.x context),
 *       in arrival order; a subscriber that throws is logged and the others still run.</li>
 * </ul>
 */
public final class EventHub {

  private static final Logger LOG = LogManager.getLogger(EventHub.class);
  private static final int SEEN_IDS = 4096;

  /** A subscriber's registration; {@link #cancel()} stops delivery. */
  public interface Subscription {
    void cancel();
  }

  private record Subscriber(SubjectFilter filter, Handler<EventMessage> handler) {}

  private final Executor executor;
  private final ReplayBuffer replay;
  private final List<EventTransport> transports = new CopyOnWriteArrayList<>();
  private final List<EventTransport> started = new CopyOnWriteArrayList<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final LongAdder publishFailures = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, Boolean> seen = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > SEEN_IDS;
    }
  };

  /**
   * @param executor runs subscriber callbacks, one at a time (a Vert.x context, or
   *     {@code Runnable::run} in tests)
   */
  public EventHub(Executor executor, ReplayBuffer replay) {
    this.executor = executor;
    this.replay = replay;
  }

  /** Adds a transport; only before {@link #start()}. */
  public void addTransport(EventTransport transport) {
    transports.add(transport);
  }

  public List<String> transportNames() {
    return transports.stream().map(EventTransport::name).toList();
  }

  /**
   * Starts every transport. A transport that fails to start is logged and left out; the
   * returned future always succeeds, so events never keep a service from starting.
   */
  public Future<Void> start() {
    List<Future<Void>> starts = new ArrayList<>();
    for (EventTransport t : transports) {
      starts.add(startOne(t).onSuccess(v -> started.add(t)).recover(e -> {
        LOG.warn("Event transport {} did not start, events go on without it: {}", t.name(), e.toString());
        return Future.succeededFuture();
      }));
    }
    return Future.join(starts).mapEmpty();
  }

  private Future<Void> startOne(EventTransport t) {
    try {
      return t.start(this::receive);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Delivers {@code message} here and sends it to every started transport. Never throws. */
  public void publish(EventMessage message) {
    receive(message);
    if (closed.get()) {
      return;
    }
    for (EventTransport t : started) {
      Future<Void> sent;
      try {
        sent = t.publish(message);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      sent.onFailure(e -> {
        publishFailures.increment();
        LOG.warn("Could not publish {} over {} ({} failed publish(es) so far): {}", message.subject(), t.name(),
            publishFailures.sum(), e.toString());
      });
    }
  }

  /** Takes an event from a transport (or from {@link #publish}); drops one already seen. */
  public void receive(EventMessage message) {
    String id = message.eventId();
    if (id != null) {
      synchronized (seen) {
        if (seen.put(id, Boolean.TRUE) != null) {
          return;
        }
      }
    }
    replay.add(message);
    try {
      executor.execute(() -> deliver(message));
    } catch (RuntimeException e) { // executor gone (Vert.x closing): nothing left to tell
      LOG.debug("Event {} not delivered locally: {}", message.subject(), e.toString());
    }
  }

  private void deliver(EventMessage message) {
    for (Subscriber s : subscribers) {
      if (s.filter().matches(message.subject())) {
        try {
          s.handler().handle(message);
        } catch (RuntimeException e) {
          LOG.warn("Event subscriber for {} failed on {}", s.filter(), message.subject(), e);
        }
      }
    }
  }

  /** Calls {@code handler} for every event whose subject matches {@code filter}, from now on. */
  public Subscription subscribe(SubjectFilter filter, Handler<EventMessage> handler) {
    Subscriber s = new Subscriber(filter, handler);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  /** Up to {@code limit} recent events matching {@code filter}, oldest first. */
  public List<EventMessage> recent(SubjectFilter filter, int limit) {
    return replay.recent(filter, limit);
  }

  /** How many sends have failed so far, over all transports. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Closes every started transport; idempotent, never fails. Later publishes stay local. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    List<Future<Void>> closes = new ArrayList<>();
    for (EventTransport t : started) {
      Future<Void> f;
      try {
        f = t.close();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      closes.add(f.recover(e -> {
        LOG.warn("Event transport {} did not close cleanly: {}", t.name(), e.toString());
        return Future.succeededFuture();
      }));
    }
    return Future.join(closes).mapEmpty();
  }
}
