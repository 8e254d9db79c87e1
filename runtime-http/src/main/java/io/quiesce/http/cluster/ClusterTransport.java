package io.quiesce.http.cluster;

import io.quiesce.events.ClusterSettings;
import io.quiesce.events.EventMessage;
import io.quiesce.events.EventTransport;
import io.quiesce.events.Subjects;
import io.quiesce.events.eventbus.EventBusTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Events across processes over a clustered event bus of their own ({@code cluster.enabled}): the
 * runtime's Vert.x stays local, and this transport joins the Hazelcast cluster beside it, in the
 * background, once the service is running (so that the join does not compete with start-up for
 * the CPU). Readiness never waits for the cluster: {@link #start} returns at once, events
 * published before the join completes are kept (up to {@value #BACKLOG}) and sent once it has, in
 * order, and a member that cannot join is logged while the service runs on.
 *
 * <p>Whenever the cluster grows (this member joined, another joined, or two clusters that formed
 * apart merged) it asks for a discovery poll, so that every member announces itself to the
 * newcomers at once instead of at its next heartbeat.
 */
public final class ClusterTransport implements EventTransport {

  private static final Logger LOG = LogManager.getLogger(ClusterTransport.class);
  static final int BACKLOG = 1024;
  /** After a merge Vert.x registers the merged side's consumers again; give it this long first. */
  private static final long POLL_AFTER_MERGE_MS = 1000;

  private final ClusterSettings cluster;
  private final Subjects subjects;
  private final Object lock = new Object();
  private final ArrayDeque<EventMessage> backlog = new ArrayDeque<>(); // guarded by lock, until joined
  private EventBusTransport bus; // guarded by lock: set once joined and listening
  private Vertx vertx; // guarded by lock
  private boolean closed; // guarded by lock
  private final Future<?> joinAfter;
  private long startNanos;

  /** @param joinAfter the join begins when this completes (the service is running); never if it fails */
  public ClusterTransport(ClusterSettings cluster, String prefix, Future<?> joinAfter) {
    this.cluster = cluster;
    this.subjects = new Subjects(prefix);
    this.joinAfter = joinAfter;
  }

  @Override
  public String name() {
    return "cluster " + cluster.name();
  }

  @Override
  public Future<Void> start(Consumer<EventMessage> inbound) {
    joinAfter.onSuccess(ignored -> {
      LOG.info("Joining the event cluster {} on {}:{} in the background (members: {})", cluster.name(), cluster.host(),
          cluster.port(), cluster.members().isEmpty() ? "none yet" : String.join(", ", cluster.members()));
      startNanos = System.nanoTime();
      // Creating the clustered Vert.x loads Hazelcast: on a thread of its own, never an event loop.
      Thread joiner = new Thread(() -> ClusteredVertx.join(cluster, member -> pollLater())
          .onSuccess(v -> joined(v, inbound))
          .onFailure(e -> LOG.warn("Could not join the event cluster {} on {}:{}; events stay in this process and on the other transports: {}",
              cluster.name(), cluster.host(), cluster.port(), e.toString())), "quiesce-cluster-join");
      joiner.setDaemon(true);
      joiner.start();
    });
    return Future.succeededFuture();
  }

  private void joined(Vertx clustered, Consumer<EventMessage> inbound) {
    EventBusTransport transport = new EventBusTransport(clustered, subjects.prefix());
    synchronized (lock) {
      vertx = clustered;
      if (closed) {
        clustered.close();
        return;
      }
    }
    transport.start(inbound).onSuccess(v -> {
      int sent;
      synchronized (lock) {
        if (closed) {
          return;
        }
        sent = backlog.size();
        backlog.forEach(transport::publish);
        backlog.clear();
        bus = transport;
      }
      LOG.info("Joined the event cluster {} in {} ms; {} event(s) published meanwhile sent", cluster.name(),
          (System.nanoTime() - startNanos) / 1_000_000, sent);
      poll();
    }).onFailure(e -> LOG.warn("Event cluster {} joined, but its events cannot be received: {}", cluster.name(), e.toString()));
  }

  private void pollLater() {
    Vertx v;
    synchronized (lock) {
      v = vertx;
    }
    if (v != null) {
      v.setTimer(POLL_AFTER_MERGE_MS, id -> poll());
    }
  }

  /** Asks every member, this one included, to announce itself again. */
  private void poll() {
    EventBusTransport b;
    synchronized (lock) {
      b = bus;
    }
    if (b != null) {
      b.publish(new EventMessage(subjects.discoveryPoll(), new JsonObject().put("event_id", UUID.randomUUID().toString())));
    }
  }

  @Override
  public Future<Void> publish(EventMessage message) {
    synchronized (lock) {
      if (bus != null) {
        return bus.publish(message);
      }
      if (closed) {
        return Future.failedFuture("event cluster " + cluster.name() + " left");
      }
      if (backlog.size() >= BACKLOG) {
        return Future.failedFuture("event cluster " + cluster.name() + " not joined yet and " + BACKLOG + " events waiting");
      }
      backlog.add(message);
      return Future.succeededFuture();
    }
  }

  /** Stops receiving, then leaves the cluster (bounded by Hazelcast's graceful shutdown wait). */
  @Override
  public Future<Void> close() {
    EventBusTransport b;
    Vertx v;
    synchronized (lock) {
      closed = true;
      b = bus;
      v = vertx;
      bus = null;
      if (!backlog.isEmpty()) {
        LOG.info("Left before the event cluster {} was joined: {} event(s) not sent to it", cluster.name(), backlog.size());
        backlog.clear();
      }
    }
    if (v == null) {
      return Future.succeededFuture();
    }
    Future<Void> unregistered = b == null ? Future.succeededFuture() : b.close();
    return unregistered.eventually(v::close);
  }
}
