package io.quiesce.http.drain;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One connection from its accept on, and, if it speaks HTTP/1.x, its guard: it sits in the
 * pipeline between the codec and Vert.x and makes the connection leave cleanly during drain:
 *
 * <ul>
 *   <li>Once connections are to end ({@link HttpDrain#asksToClose()}: from the listener's close,
 *       or from the start of drain with a drain delay), a request decoded is marked {@code
 *       Connection: close} before Vert.x sees it, so Vert.x answers it with {@code Connection:
 *       close} and closes the connection after the exchange, having read the whole request (no
 *       reset under an unread body).
 *   <li>A response to a request that came in before then gets {@code Connection: close} too, and
 *       the connection is closed once that response is written — unless another request is
 *       already pipelined behind it, which then gets its own answer and closes the connection.
 *   <li>Once the listener is closed ({@link #beginClosing()}), a connection with no exchange in
 *       progress is closed once it has been idle for the grace period <em>and</em> nothing is left
 *       in flight: closing an idle connection sooner cannot end the drain sooner, and every moment
 *       it stays open is one more in which a client that stalled (a loaded machine) still gets its
 *       answer. A client that writes a request meanwhile gets an answer instead of a reset.
 *   <li>Outside drain, timeouts ({@link ConnectionTimeouts}): a request head not complete
 *       {@code headerRead} after it began to arrive (the first one: after the accept) ends the
 *       connection — with {@code 408} if some of it had arrived, silently if nothing had; a
 *       connection idle between requests for {@code idle} is closed. A request in progress is never
 *       timed out. The bytes of a head are seen by the {@link HeadWatch}, first in the pipeline.
 *   <li>A request whose body cannot be framed ({@link RequestFraming}) is answered 400 before
 *       Vert.x sees it, and nothing read after it reaches Vert.x; the connection ends.
 *   <li>An interim response ({@code 100 Continue}, {@code 103 Early Hints}) is not the answer: a
 *       request whose client waits for a 100 before sending its body stays in progress through it.
 *   <li>A connection upgraded to WebSocket (the guard sees the 101) is never closed as idle: at
 *       {@link #beginClosing()} — after the application's drain subscribers were told — it gets
 *       a close frame 1001 Going Away unless the application sent its own, and it closes when
 *       the client answers with its close frame (or at the drain deadline).
 * </ul>
 *
 * <p>Its life starts at the accept ({@link AcceptWatch}), before anyone knows the connection's
 * protocol: its {@link HeadWatch} goes first in the pipeline, registers the connection with the
 * drain and starts the first head's clock. With HTTP/2 on, Vert.x sets a cleartext connection up
 * only once its first bytes show the protocol, and as HTTP/1.1 only once a whole head is read; until
 * then the guard alone times the connection and answers the drain. An HTTP/1.x connection then
 * takes the guard into its pipeline; an HTTP/2 one takes over ({@link #handOver()},
 * {@link Http2Goaway}).
 *
 * <p>All state is confined to the connection's event loop; the only per-message work is a type
 * test and, for the first line of a request or response, one volatile read. One timer per
 * connection checks the timeouts ({@link CheckTimer}): the request path schedules nothing, and
 * reads the clock once, at the end of a response (when idleness starts); a head that arrives whole
 * within one read never reads it.
 */
final class ConnectionGuard extends ChannelDuplexHandler implements DrainableConnection {

  /** The shortest time between two looks at a connection (a zero grace must not spin the event loop). */
  private static final long MIN_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final byte[] TIMED_OUT = ("{\"error\":\"request_timeout\",\"message\":"
      + "\"The request head was not complete in time; the connection is closed.\"}").getBytes(StandardCharsets.US_ASCII);

  private static final VarHandle CURRENT;

  static {
    try {
      CURRENT = MethodHandles.lookup().findVarHandle(ConnectionGuard.class, "current", HttpRequest.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final HttpDrain drain;
  private final long headerReadNanos; // Long.MAX_VALUE: off
  private final long idleNanos; // Long.MAX_VALUE: off
  private final long graceNanos;
  private ChannelHandlerContext ctx; // the head watch's, then (once in the pipeline) the guard's own
  private boolean inPipeline; // Vert.x set the connection up as HTTP/1.x and added the guard
  private boolean handedOver; // an HTTP/2 connection took over: nothing left to do here
  private CheckTimer timer;
  private boolean headArriving; // accepted, or bytes came after the last exchange: a head is due
  private boolean headBytes; // some bytes of that head arrived
  private long headSince; // when the head became due
  private int pending; // requests read whose response has not been written in full
  private boolean receiving; // a request's head was read, its end not yet
  private boolean lastMarked; // the latest request was marked Connection: close when decoded
  private boolean closeAfterResponse;
  private boolean closeWhenReceived;
  private boolean closing;
  private boolean framingRefused; // a request was refused for its framing (RequestFraming): the rest is dropped
  private long lastActivity; // accepted, or the end of the latest response: idle since then unless a request is in progress
  // The latest request read, until its response is written; read by the drain from another thread
  // (requestInProgress). Release/acquire rather than volatile: no store fence twice per request.
  @SuppressWarnings("unused") // through CURRENT
  private HttpRequest current;
  private Runnable answered; // told once the request handed on is answered in full, or the connection ends
  private ArrayDeque<Runnable> answeredLater; // never in practice: see tellWhenAnswered
  private volatile boolean webSocket; // upgraded: the connection now carries WebSocket frames
  private boolean webSocketCloseSent; // by the application or by us

  ConnectionGuard(HttpDrain drain, ConnectionTimeouts timeouts) {
    this.drain = drain;
    this.headerReadNanos = timeouts.headerReadNanos();
    this.idleNanos = timeouts.idleNanos();
    this.graceNanos = timeouts.drainGrace().toNanos();
  }

  /** This guard's watch: the handler to put first in the connection's pipeline, at the accept. */
  HeadWatch headWatch() {
    return new HeadWatch();
  }

  /** The guard whose watch is in {@code pipeline}; null if there is none (or no longer). */
  static ConnectionGuard in(ChannelPipeline pipeline) {
    // Asked once per request: the watch is first unless a handler went in front of it (TLS), and
    // the first handler is one read where a look-up by name walks the pipeline.
    ChannelHandler watch = pipeline.first();
    if (!(watch instanceof HeadWatch)) {
      watch = pipeline.get(HttpDrain.HEAD_WATCH_NAME);
    }
    return watch instanceof HeadWatch w ? w.guard() : null;
  }

  /**
   * First in the pipeline from the accept on: starts the guard, and tells it when the bytes of a
   * new request start to arrive (which the decoder does not say until the head is complete) and
   * when the connection ends.
   */
  final class HeadWatch extends ChannelInboundHandlerAdapter {

    ConnectionGuard guard() {
      return ConnectionGuard.this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
      accepted(c);
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
      if (receiving || webSocket) { // the body of the request being read, or WebSocket frames
        c.fireChannelRead(msg);
        return;
      }
      boolean due = pending == 0 && !headArriving; // the first bytes of the next request
      if (due) {
        headArriving = true;
      }
      headBytes = true; // with a response pending: a pipelined head, due once that response is out
      c.fireChannelRead(msg); // decodes: a head complete in these bytes has been read when this returns
      if (due && headArriving) {
        headSince = System.nanoTime(); // only a head still incomplete after its first bytes reads the clock
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
      timer.cancel();
      drain.unregister(ConnectionGuard.this);
      tellAllAnswered(); // the connection ended under them
      c.fireChannelInactive();
    }
  }

  // Accepted (or, accepted before the accept watch was in place, set up as HTTP/1.x): the first
  // request is due from now on.
  private void accepted(ChannelHandlerContext watch) {
    this.ctx = watch;
    this.timer = new CheckTimer(watch.executor(), this::check);
    this.lastActivity = System.nanoTime();
    this.headArriving = true;
    this.headSince = lastActivity;
    drain.register(this, watch.channel().eventLoop());
    timer.within(Math.min(headerReadNanos, idleNanos));
  }

  /**
   * Vert.x set the connection up as HTTP/1.x and added the guard: from now on it writes from here,
   * behind the encoder. Bytes seen before were the TLS handshake, if any: no head yet.
   */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.inPipeline = true;
    this.headBytes = false;
  }

  /** When the request head now due became due: for the first one, the accept. */
  long headDueSince() {
    return headSince;
  }

  /**
   * The connection turned out HTTP/2 (prior knowledge, ALPN or an HTTP/1.1 upgrade), which
   * {@link Http2Goaway} takes over: the guard's handlers leave the pipeline, its timer stops and
   * it leaves the drain.
   */
  void handOver() {
    handedOver = true;
    tellAllAnswered(); // none waiting: Vert.x upgrades only between two exchanges
    timer.cancel();
    ChannelPipeline p = ctx.pipeline();
    p.remove(HttpDrain.HEAD_WATCH_NAME);
    if (inPipeline) {
      p.remove(this);
    }
    drain.unregister(this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (framingRefused) {
      ReferenceCountUtil.release(msg); // read after a request refused for its framing: never reaches Vert.x
      return;
    }
    if (webSocket) {
      if (msg instanceof CloseWebSocketFrame && webSocketCloseSent && closing) {
        // The client answered the close frame we sent at drain: the handshake is complete.
        ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      super.channelRead(ctx, msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (RequestFraming.refuses(request)) {
        framingRefused = true;
        ReferenceCountUtil.release(msg);
        RequestFraming.refuse(ctx);
        return;
      }
      CURRENT.setRelease(this, request);
      pending++;
      receiving = true;
      headArriving = false;
      headBytes = false;
      // Marked requests are closed by Vert.x itself after the exchange, body read and all.
      lastMarked = drain.asksToClose();
      if (lastMarked) {
        HttpUtil.setKeepAlive(request, false);
      }
    }
    boolean requestEnded = msg instanceof LastHttpContent; // may be the same message as the request
    super.channelRead(ctx, msg);
    if (requestEnded) {
      receiving = false;
      if (closeWhenReceived) {
        closeAfterWrites(ctx);
      }
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (webSocket) {
      webSocketCloseSent |= msg instanceof CloseWebSocketFrame;
      super.write(ctx, msg, promise);
      return;
    }
    if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      if (response.status().code() == 101) {
        webSocket = true; // the upgrade's answer; what follows are WebSocket frames
        pending = 0;
        CURRENT.setRelease(this, null);
        try {
          super.write(ctx, msg, promise);
        } finally {
          tellAllAnswered(); // the upgrade request is answered: from here on a connection, not a request
        }
        return;
      }
      // Otherwise 100 Continue or 103 Early Hints: an interim response, not the exchange's answer,
      // though Vert.x writes it as a full message. The request is still in progress (the client
      // sends the body only after a 100): it ends neither the exchange nor the connection.
      super.write(ctx, msg, promise);
      return;
    }
    // With a request pipelined behind this one, this response stays keep-alive (RFC 9112 9.6: no
    // request may be processed after a "close"); the pipelined one was marked when decoded, so
    // it gets its own answer and the connection closes after that.
    if (msg instanceof HttpResponse response && pending <= 1 && drain.asksToClose()) {
      HttpUtil.setKeepAlive(response, false);
      closeAfterResponse = !lastMarked;
    }
    if (msg instanceof LastHttpContent) {
      pending = Math.max(0, pending - 1);
      if (pending == 0) {
        CURRENT.setRelease(this, null);
      }
      lastActivity = System.nanoTime();
      if (pending == 0 && headBytes && !headArriving) {
        headArriving = true; // a pipelined head had begun to arrive: it is due from now
        headSince = lastActivity;
      }
      if (closeAfterResponse) {
        closeAfterResponse = false;
        if (receiving) {
          // Closing with request bytes unread would reset the connection and could destroy the
          // response: wait for the end of the request.
          closeWhenReceived = true;
        } else {
          promise = promise.unvoid();
          promise.addListener(ChannelFutureListener.CLOSE);
        }
      } else if (closing) {
        timer.within(graceNanos);
      }
      try {
        super.write(ctx, msg, promise);
      } finally {
        tellAnswered(); // the request handed on before this answer was written: this answer is its
      }
      return;
    }
    super.write(ctx, msg, promise);
  }

  /**
   * Tells {@code whenAnswered} once the request now handed on to the application has its answer
   * written in full, or the connection ends first (at once if it has already ended). Vert.x hands
   * a request on, pipelined or not, only once every answer before it is written, so the next
   * answer this guard sees written is that request's. Returns false, telling nothing, off the
   * connection's event loop or once the connection is no longer HTTP/1.x (handed over to HTTP/2,
   * or upgraded to WebSocket).
   */
  boolean tellWhenAnswered(Runnable whenAnswered) {
    if (!inPipeline || handedOver || webSocket || !ctx.executor().inEventLoop()) {
      return false;
    }
    if (!ctx.channel().isActive()) {
      whenAnswered.run(); // the connection ended under it: no answer will be written
    } else if (answered == null) {
      answered = whenAnswered;
    } else {
      // Not expected (Vert.x hands one request on at a time): queued for the answers after, so
      // that each is told exactly once.
      if (answeredLater == null) {
        answeredLater = new ArrayDeque<>();
      }
      answeredLater.add(whenAnswered);
    }
    return true;
  }

  /** An answer was written in full: tells who waited for it. */
  private void tellAnswered() {
    Runnable r = answered;
    if (r != null) {
      answered = answeredLater == null ? null : answeredLater.poll();
      r.run();
    }
  }

  /** The connection ended or left this guard: no answer will come, tells everyone waiting. */
  private void tellAllAnswered() {
    while (answered != null) {
      tellAnswered();
    }
  }

  /**
   * Closes once everything written so far is on the wire. The answer that asked to close may still
   * wait for the end of the read to be flushed (Vert.x flushes then), and a plain {@code close()}
   * would drop it: the client would see EOF before the first byte of an answer it was owed.
   */
  private static void closeAfterWrites(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  /** Nothing is left in flight: an idle connection past its grace may go now. Called on any thread. */
  @Override
  public void workDrained() {
    ctx.executor().execute(() -> {
      if (closing) {
        timer.hurry();
      }
    });
  }

  /** The listener is closed: from now on, idle means done. Called on any thread. */
  @Override
  public void beginClosing() {
    ctx.executor().execute(() -> {
      closing = true;
      timer.now();
    });
  }

  /** Closes the connection now, whatever it is doing (the drain deadline has passed). */
  @Override
  public void forceClose() {
    ctx.executor().execute(this::close);
  }

  /**
   * Closes the connection: from the guard, or, before the guard is in the pipeline, through the
   * whole pipeline, so that whatever Vert.x has set up so far ends it as it should ({@code
   * close_notify} with TLS, a GOAWAY once HTTP/2 is set up).
   */
  private void close() {
    if (inPipeline) {
      ctx.close();
    } else {
      ctx.channel().close();
    }
  }

  @Override
  public String requestInProgress() {
    if (webSocket) {
      return "WebSocket";
    }
    HttpRequest r = (HttpRequest) CURRENT.getAcquire(this);
    return r == null ? null : r.method() + " " + r.uri();
  }

  private void check() {
    if (handedOver || !ctx.channel().isActive()) {
      return;
    }
    if (webSocket) {
      if (closing) {
        // After the application's drain subscribers (told when shutdown began) had their turn: a
        // close frame 1001 Going Away, unless the application sent its own; the client's answer
        // completes the handshake and ends the connection (or the drain deadline does).
        if (!webSocketCloseSent) {
          webSocketCloseSent = true;
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down"));
        }
      }
      return; // a WebSocket is the application's to keep or end: no timeout
    }
    long now = System.nanoTime();
    // The longest sleep until the next look (the request path schedules nothing, so this timer lives on).
    long wait = Math.max(MIN_LOOK_NANOS, closing ? graceNanos : Math.min(headerReadNanos, idleNanos));
    if (pending > 0 || receiving) {
      timer.within(wait); // a request in progress is never timed out
      return;
    }
    if (headArriving) {
      long left = headerReadNanos - (now - headSince);
      if (left <= 0) {
        timeOutHead();
        return;
      }
      wait = Math.min(wait, left);
      if (!closing) {
        timer.within(wait);
        return;
      }
      if (headBytes) {
        timer.within(wait); // during drain too, a head on its way is a request coming: answered, not closed
        return;
      }
    }
    if (closing) {
      // Closed once idle for the grace and nothing is left in flight: closing sooner would not end
      // the drain sooner, and meanwhile a client that stalled still gets its answer.
      long idleFor = now - lastActivity;
      if (idleFor < graceNanos) {
        timer.within(graceNanos - idleFor);
      } else if (drain.workDrained()) {
        close();
      } else {
        timer.within(wait); // looked at again; the end of the last request in flight also tells every guard
      }
      return;
    }
    long left = idleNanos - (now - lastActivity);
    if (left <= 0) {
      close(); // idle between requests for server.idle_timeout
    } else {
      timer.within(Math.min(wait, left));
    }
  }

  /**
   * The head due was not complete in time: {@code 408} if some of an HTTP/1.x head had arrived (a
   * client that was sending gets an answer it can act on), a plain close otherwise. Before the
   * guard is in the pipeline, an HTTP/1.x head is on its way once Vert.x has put the HTTP/1.x codec
   * there (it does at the first byte that is not the HTTP/2 preface); the answer then goes through
   * the whole pipeline, encoder included.
   */
  private void timeOutHead() {
    if (headBytes && inPipeline) {
      ctx.writeAndFlush(ClosingResponse.json(HttpResponseStatus.REQUEST_TIMEOUT, TIMED_OUT)).addListener(ChannelFutureListener.CLOSE);
    } else if (headBytes && ctx.pipeline().get(HttpResponseEncoder.class) != null) {
      ctx.channel().writeAndFlush(ClosingResponse.json(HttpResponseStatus.REQUEST_TIMEOUT, TIMED_OUT)).addListener(ChannelFutureListener.CLOSE);
    } else {
      close();
    }
  }

}
