package io.quiesce.http.drain;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.quiesce.drain.DrainCutException;
import io.quiesce.drain.WorkTracker;
import io.quiesce.time.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Drains an HTTP server's listener and connections without losing a request written to a
 * connection the server accepted.
 *
 * <p>Vert.x 5's {@code HttpServer.shutdown} alone loses requests in two ways: it closes idle
 * keep-alive connections at once (a request the client is writing meets EOF), and between
 * removing its acceptor and closing the listening socket it closes every connection accepted in
 * that window without reading it. So the drain here works in this order:
 *
 * <ol>
 *   <li>Close the listening socket itself (the parent channel of any accepted connection), so
 *       the kernel refuses new connects; only connects queued in the backlog at that instant are
 *       reset, a window no server can close.
 *   <li>Let every event loop that owns connections run once, so that connections accepted just
 *       before the close are registered with their guard.
 *   <li>Tell each {@link ConnectionGuard} to close its connection once it is idle for the grace
 *       period; exchanges in progress end with {@code Connection: close}.
 *   <li>When every connection has closed, or at the deadline, close the Vert.x server, which
 *       force-closes whatever remains.
 * </ol>
 *
 * <p>This relies on one Vert.x internal, {@link ConnectionBase#channelHandlerContext()}, the same
 * access Vert.x's own HTTP server uses to add pipeline handlers; the drain tests fail loudly if a
 * Vert.x upgrade changes it.
 */
public final class ConnectionDrain {

  private static final Logger LOG = LogManager.getLogger(ConnectionDrain.class);

  private final WorkTracker tracker;
  private final long graceNanos;
  private final Set<ConnectionGuard> guards = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Channel> listener = new AtomicReference<>();
  private final Set<EventLoop> loops = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  private volatile Promise<Void> allClosed;

  public ConnectionDrain(WorkTracker tracker, Duration idleGrace) {
    this.tracker = tracker;
    this.graceNanos = idleGrace.toNanos();
  }

  /**
   * Installs a guard on a newly accepted connection. Call from the server's connection handler
   * (on the connection's event loop), before its first request is read.
   */
  public void install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return; // HTTP/2 connections are not guarded (the server is configured for HTTP/1.x only)
    }
    Channel channel = base.channel();
    if (channel.parent() != null) {
      listener.compareAndSet(null, channel.parent());
    }
    loops.add(channel.eventLoop());
    base.channelHandlerContext().pipeline().addBefore("handler", "quiesce-drain-guard", new ConnectionGuard(this, graceNanos));
  }

  /** Connections currently open. */
  public int openConnections() {
    return guards.size();
  }

  boolean isDraining() {
    return tracker.isDraining();
  }

  void register(ConnectionGuard guard) {
    guards.add(guard);
    if (closing) {
      guard.beginClosing();
    }
  }

  void unregister(ConnectionGuard guard) {
    guards.remove(guard);
    Promise<Void> p = allClosed;
    if (p != null && guards.isEmpty()) {
      p.tryComplete();
    }
  }

  /**
   * Closes the listening socket and completes once every connection is closed; at
   * {@code deadline} force-closes the connections left and fails with a
   * {@link DrainCutException} saying how many.
   *
   * @param closeServer closes the Vert.x server once no connection is left (or at the deadline)
   */
  public Future<Void> drain(Deadline deadline, java.util.function.Supplier<Future<Void>> closeServer) {
    Promise<Void> done = Promise.promise();
    closeListener()
        .compose(v -> barrier())
        .compose(v -> barrier()) // a registration may itself queue one more task
        .onComplete(v -> {
          Promise<Void> empty = Promise.promise();
          allClosed = empty;
          closing = true;
          for (ConnectionGuard g : guards) {
            g.beginClosing();
          }
          if (guards.isEmpty()) {
            empty.tryComplete();
          }
          LOG.info("Listener closed; {} connection(s) left to finish", guards.size());
          int[] forced = {0};
          var timer = deadline.clock().schedule(deadline.remaining(), () -> {
            List<ConnectionGuard> left = new ArrayList<>(guards);
            if (!left.isEmpty() && !empty.future().isComplete()) {
              forced[0] = left.size();
              LOG.warn("Drain deadline reached: force-closing {} connection(s)", left.size());
              left.forEach(ConnectionGuard::forceClose);
            }
            empty.tryComplete();
          });
          empty.future()
              .compose(x -> closeServer.get())
              .onComplete(ar -> {
                timer.cancel();
                if (ar.failed()) {
                  done.fail(ar.cause());
                } else if (forced[0] > 0) {
                  done.fail(new DrainCutException("force-closed " + forced[0] + " connection(s) at the drain deadline"));
                } else {
                  done.complete();
                }
              });
        });
    return done.future();
  }

  private Future<Void> closeListener() {
    Channel ch = listener.get();
    if (ch == null) {
      return Future.succeededFuture(); // no connection was ever accepted; the server close does it
    }
    Promise<Void> p = Promise.promise();
    ch.close().addListener(f -> p.tryComplete());
    return p.future();
  }

  // Runs one task on every event loop that ever owned a connection: registrations queued there
  // before the listener closed have run once it completes.
  private Future<Void> barrier() {
    List<Future<Void>> ran = new ArrayList<>();
    for (EventLoop loop : loops) {
      Promise<Void> p = Promise.promise();
      loop.execute(p::tryComplete);
      ran.add(p.future());
    }
    return Future.all(ran).mapEmpty();
  }
}
