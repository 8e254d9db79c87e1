package io.quiesce.events;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * A way events leave and enter this process: the Vert.x event bus (local or clustered), NATS, ….
 * The {@link EventHub} owns its transports: it starts them before the runtime starts and closes
 * them after the shutdown event went out.
 *
 * <p>A transport does not need to hand this process's own messages back: the hub delivers every
 * event it publishes locally first. If it does, the hub drops the copy by {@code event_id}.
 */
public interface EventTransport {

  /** A short name for logs, e.g. {@code eventbus} or {@code nats}. */
  String name();

  /**
   * Starts sending and receiving. Every event received from elsewhere is passed to {@code inbound}
   * (from any thread). A failure here is logged by the hub and the transport is left out; the
   * service still starts.
   */
  Future<Void> start(Consumer<EventMessage> inbound);

  /**
   * Sends one event. May throw or return a failed future; the hub logs and counts either, and the
   * caller never sees it. Must not block.
   */
  Future<Void> publish(EventMessage message);

  /** Stops receiving and releases connections. Never fails the caller's shutdown. */
  Future<Void> close();
}
