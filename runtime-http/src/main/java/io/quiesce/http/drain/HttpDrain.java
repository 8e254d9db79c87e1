package io.quiesce.http.drain;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.quiesce.api.ShutdownContext;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownTask;
import io.quiesce.api.TaskCutException;
import io.quiesce.drain.WorkTracker;
import io.quiesce.lifecycle.LifecycleManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.tcp.TcpHttpServer;
import io.vertx.core.internal.http.HttpServerInternal;
import io.vertx.core.internal.net.NetServerInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.tcp.NetServerImpl;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The runtime's HTTP server, from bind to close, and its drain: the one place that knows the
 * listening socket, the accepted connections and how each leaves. It is not a managed service:
 * nothing restarts it behind the drain's back; the lifecycle only runs its two shutdown tasks.
 *
 * <p>Vert.x 5's {@code HttpServer.shutdown} alone loses requests in two ways: it closes idle
 * keep-alive connections at once (a request the client is writing meets EOF), and between
 * removing its acceptor and closing the listening socket it closes every connection accepted in
 * that window without reading it. So the drain runs in this order:
 *
 * <ol>
 *   <li>UNBIND, task {@code http listener}: close the listening socket itself, so the kernel
 *       refuses new connects — only connects queued in the backlog at that instant are reset, a
 *       window no server can close, and nothing asks clients to reconnect before it ({@link
 *       #asksToClose()}); then let every event loop that owns connections run twice, so
 *       connections accepted just before the close are registered with their guard.
 *   <li>DRAIN_REQUESTS, task {@code http connections}: tell each connection to leave cleanly
 *       ({@link DrainableConnection#beginClosing()}); when none is left, or at the task's deadline
 *       (forcing those left and naming their requests in the report), close the Vert.x server.
 * </ol>
 *
 * <p>Every accepted connection is known from its accept on, before Vert.x knows its protocol:
 * {@link AcceptWatch}, in the listening socket's pipeline, gives it its {@link ConnectionGuard}.
 *
 * <p>It relies on Vert.x internals: {@link ConnectionBase#channelHandlerContext()}, the same access
 * Vert.x's own HTTP server uses to add pipeline handlers, and the listening socket behind the
 * server (see docs/ARCHITECTURE.md for the tests that fail if they change).
 */
public final class HttpDrain {

  private static final Logger LOG = LogManager.getLogger(HttpDrain.class);
  /** The name of the accept watch in the listening socket's pipeline, before Netty's acceptor. */
  static final String ACCEPT_WATCH_NAME = "quiesce-accept-watch";
  /** The name of our handler in each connection's pipeline, before Vert.x's own ({@code "handler"}). */
  static final String GUARD_NAME = "quiesce-drain-guard";
  /** The name of the guard's head watch, first in the pipeline from the accept: it sees a request's first bytes. */
  static final String HEAD_WATCH_NAME = "quiesce-head-watch";

  private final Vertx vertx;
  private final HttpServerOptions options;
  private final Handler<HttpServerRequest> requests;
  private final WorkTracker tracker;
  private final ConnectionTimeouts timeouts;
  private final Set<DrainableConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile Channel listener;
  private final Set<EventLoop> loops = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;
  private volatile boolean asksToClose;
  private volatile Promise<Void> allClosed;
  private volatile HttpServer server;
  private volatile String forcedAtDeadline; // what the connections task forced, for the report

  public HttpDrain(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> requests, WorkTracker tracker,
      ConnectionTimeouts timeouts) {
    this.vertx = vertx;
    this.options = new HttpServerOptions(options);
    this.requests = requests;
    this.tracker = tracker;
    this.timeouts = timeouts;
  }

  /** Binds the listener; completes with the bound port. */
  public Future<Integer> listen() {
    if (server != null) {
      return Future.failedFuture(new IllegalStateException("the HTTP server listens once"));
    }
    HttpServer s = vertx.createHttpServer(options).connectionHandler(this::install).requestHandler(requests);
    server = s;
    return s.listen().compose(bound -> {
      Channel ch = listeningChannel(s);
      ch.pipeline().addFirst(ACCEPT_WATCH_NAME, new AcceptWatch(this, timeouts));
      listener = ch;
      // The watch sees connections once its handlerAdded has run on the listener's event loop,
      // which a task queued there after it follows: only then does the server say it listens.
      Context here = vertx.getOrCreateContext();
      Promise<Integer> watching = Promise.promise();
      ch.eventLoop().execute(() -> here.runOnContext(v -> watching.complete(bound.actualPort())));
      return watching.future();
    }).onSuccess(port -> LOG.info("HTTP listening on {}:{}", options.getHost(), port));
  }

  /** Adds the drain's two tasks to the shutdown: {@code http listener} and {@code http connections}. */
  public void addTo(LifecycleManager lifecycle) {
    if (!lifecycle.policy().drainDelay().isZero()) {
      tracker.onDrain(() -> asksToClose = true);
    }
    lifecycle.addTask(ShutdownPhase.UNBIND, "http listener", ctx -> closeListener().compose(v -> barrier()).compose(v -> barrier()));
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "http connections", new ShutdownTask() {
      @Override
      public Future<Void> run(ShutdownContext context) {
        return drainConnections(context);
      }

      @Override
      public String whatIsLeft() {
        String forced = forcedAtDeadline;
        return forced != null ? forced + "; the server close still running" : describe(new ArrayList<>(connections));
      }
    });
  }

  /**
   * Tells {@code whenAnswered} once {@code request}'s exchange is over, or its connection ends first:
   * on HTTP/1.x when its answer is written in full (the connection's guard sees every answer go down
   * the pipeline, and Vert.x hands a request on only once every answer before it is written, so the
   * next one written is this request's), on HTTP/2 when its stream is closed ({@link StreamEnds}).
   * Returns false, telling nothing, for a request on a connection this drain did not set up or asked
   * off its event loop. Telling costs nothing per request: no handler is registered, nothing is
   * allocated.
   */
  public static boolean tellWhenAnswered(HttpServerRequest request, Runnable whenAnswered) {
    if (!(request.connection() instanceof ConnectionBase connection)) {
      return false;
    }
    ChannelHandlerContext ctx = connection.channelHandlerContext();
    if (request.version() == HttpVersion.HTTP_2) {
      StreamEnds ends = StreamEnds.on(ctx.channel());
      return ends != null && ends.tellWhenClosed((int) request.streamId(), whenAnswered); // HTTP/2 ids are 31 bits
    }
    ConnectionGuard guard = ConnectionGuard.in(ctx.pipeline());
    return guard != null && guard.tellWhenAnswered(whenAnswered);
  }

  /** The bound port (useful with port 0); -1 before {@link #listen()}. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  /** Closes the server at once (startup failed); later calls do nothing. */
  public Future<Void> close() {
    HttpServer s = server;
    if (s == null || !closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return s.shutdown(Duration.ZERO);
  }

  /**
   * True once responses end their connections ({@code Connection: close}): from the listener's
   * close on — after it, a client that reconnects is refused at once, where one that reconnected
   * before it would land in the listen backlog that the close resets — and, with a drain delay,
   * from the start of drain, so that clients move elsewhere while load balancers catch up.
   */
  boolean asksToClose() {
    return asksToClose;
  }

  /** True once refusing with nothing left in flight. */
  boolean workDrained() {
    return tracker.drained().isComplete();
  }

  // On the connection's event loop, once Vert.x has set it up: HTTP/1.x before its first request
  // is handed on, HTTP/2 once the client's SETTINGS are read. Its guard has been there since the
  // accept (AcceptWatch), unless it was accepted before the accept watch was in place.
  private void install(HttpConnection connection) {
    ConnectionBase base = (ConnectionBase) connection;
    ChannelHandlerContext ctx = base.channelHandlerContext();
    ChannelPipeline pipeline = ctx.pipeline();
    ConnectionGuard guard = ConnectionGuard.in(pipeline);
    if (connection.protocolVersion() == HttpVersion.HTTP_2) {
      StreamEnds.install(ctx.channel(), ((Http2ConnectionHandler) ctx.handler()).connection());
      Http2Goaway goaway = new Http2Goaway(connection, ctx, timeouts, guard != null ? guard.headDueSince() : System.nanoTime());
      register(goaway, ctx.channel().eventLoop());
      connection.closeHandler(v -> unregister(goaway));
      if (guard != null) {
        guard.handOver(); // after the registration above: the drain never sees the connection gone
      }
      goaway.start();
    } else {
      if (guard == null) {
        guard = new ConnectionGuard(this, timeouts);
        pipeline.addFirst(HEAD_WATCH_NAME, guard.headWatch());
      }
      pipeline.addBefore("handler", GUARD_NAME, guard);
    }
  }

  /**
   * The listening socket of {@code server}, bound. Vert.x has no hook at the accept (it calls its
   * connection handler once the protocol is known, which with HTTP/2 on is only after the first
   * bytes), so the accept watch goes into the listening socket's own pipeline, reached through
   * Vert.x internals (docs/ARCHITECTURE.md lists them); a Vert.x without them fails the start.
   */
  @SuppressWarnings("unchecked")
  private static Channel listeningChannel(HttpServer server) {
    try {
      NetServerInternal tcp = ((TcpHttpServer) ((HttpServerInternal) server).unwrap()).tcpServer();
      Field bound = NetServerImpl.class.getDeclaredField("bindFuture");
      bound.setAccessible(true);
      return Objects.requireNonNull(((Future<Channel>) bound.get(tcp)).result(), "no bound channel");
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot reach the listening socket of Vert.x's HTTP server (a Vert.x other than 5.1?): " + e, e);
    }
  }

  /** A connection to drain, served on {@code loop}. */
  void register(DrainableConnection connection, EventLoop loop) {
    loops.add(loop);
    connections.add(connection);
    if (closing) {
      connection.beginClosing();
    }
  }

  void unregister(DrainableConnection connection) {
    connections.remove(connection);
    Promise<Void> p = allClosed;
    if (p != null && connections.isEmpty()) {
      p.tryComplete();
    }
  }

  private Future<Void> closeListener() {
    Channel ch = listener;
    if (ch == null) {
      asksToClose = true;
      return Future.succeededFuture(); // never bound; the server close does the rest
    }
    Promise<Void> p = Promise.promise();
    ch.close().addListener(f -> {
      asksToClose = true;
      p.tryComplete();
    });
    return p.future();
  }

  // Runs one task on every event loop that ever owned a connection: registrations queued there
  // before the listener closed have run once it completes. Twice, since a registration may itself
  // queue one more task.
  private Future<Void> barrier() {
    List<Future<Void>> ran = new ArrayList<>();
    for (EventLoop loop : loops) {
      Promise<Void> p = Promise.promise();
      loop.execute(p::tryComplete);
      ran.add(p.future());
    }
    return Future.all(ran).mapEmpty();
  }

  // "2 connection(s): GET /a, idle": each connection named by the request it is serving.
  private static String describe(List<DrainableConnection> list) {
    return list.size() + " connection(s): " + String.join(", ", list.stream()
        .map(DrainableConnection::requestInProgress).map(r -> Objects.requireNonNullElse(r, "idle")).toList());
  }

  /**
   * Completes once every connection has closed and the server with them; at the context's
   * deadline forces the connections left and fails with {@link TaskCutException} naming the
   * requests they were serving.
   */
  private Future<Void> drainConnections(ShutdownContext ctx) {
    Promise<Void> empty = Promise.promise();
    allClosed = empty;
    closing = true;
    for (DrainableConnection c : connections) {
      c.beginClosing();
    }
    tracker.drained().onComplete(v -> connections.forEach(DrainableConnection::workDrained));
    if (connections.isEmpty()) {
      empty.tryComplete();
    }
    LOG.info("Listener closed; {} connection(s) left to finish", connections.size());
    var timer = ctx.deadline().clock().schedule(ctx.remaining(), () -> {
      List<DrainableConnection> left = new ArrayList<>(connections);
      if (!left.isEmpty() && !empty.future().isComplete()) {
        forcedAtDeadline = "force-closed " + describe(left);
        LOG.warn("Drain deadline reached: force-closing {} connection(s)", left.size());
        left.forEach(DrainableConnection::forceClose);
      }
      empty.tryComplete();
    });
    return empty.future().compose(x -> close()).andThen(ar -> timer.cancel()).compose(v -> {
      String forced = forcedAtDeadline;
      return forced == null ? Future.succeededFuture() : Future.failedFuture(new TaskCutException(forced));
    });
  }
}
