package io.quiesce.http.drain;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sits in one HTTP/1.x connection's pipeline, between the codec and Vert.x, and makes the
 * connection leave cleanly during drain:
 *
 * <ul>
 *   <li>A request decoded while draining is marked {@code Connection: close} before Vert.x sees
 *       it, so Vert.x answers it with {@code Connection: close} and closes the connection after the
 *       exchange, having read the whole request (no reset under an unread body).
 *   <li>A response to a request that came in before drain gets {@code Connection: close} too, and
 *       the connection is closed once that response is written — unless another request is
 *       already pipelined behind it, which then gets its own answer and closes the connection.
 *   <li>Once the listener is closed ({@link #beginClosing()}), a connection with no exchange in
 *       progress is closed once it has been idle for the grace period <em>and</em> nothing is left
 *       in flight: closing an idle connection sooner cannot end the drain sooner, and every moment
 *       it stays open is one more in which a client that stalled (a loaded machine) still gets its
 *       answer. A client that writes a request meanwhile gets an answer instead of a reset.
 *   <li>Outside drain, timeouts ({@link ConnectionTimeouts}): a request head not complete
 *       {@code headerRead} after it began to arrive (or after the accept) ends the connection —
 *       with {@code 408} if some of it had arrived, silently if nothing had; a connection idle
 *       between requests for {@code idle} is closed. A request in progress is never timed out. The
 *       bytes of a head are seen by {@link #headWatch()}, at the front of the pipeline.
 *   <li>A connection upgraded to WebSocket (the guard sees the 101) is never closed as idle: at
 *       {@link #beginClosing()} — after the application's drain subscribers were told — it gets
 *       a close frame 1001 Going Away unless the application sent its own, and it closes when
 *       the client answers with its close frame (or at the drain deadline).
 * </ul>
 *
 * <p>All state is confined to the connection's event loop; the only per-message work is a type
 * test and, for the first line of a request or response, one volatile read. One timer per
 * connection checks the timeouts, re-armed when it fires (as Netty's {@code IdleStateHandler}
 * does): the request path schedules nothing, and reads the clock once, at the end of a
 * response (when idleness starts); a head that arrives whole within one read never reads it.
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
  private ChannelHandlerContext ctx;
  private boolean headArriving; // accepted, or bytes came after the last exchange: a head is due
  private boolean headBytes; // some bytes of that head arrived
  private long headSince; // when the head became due
  private int pending; // requests read whose response has not been written in full
  private boolean receiving; // a request's head was read, its end not yet
  private boolean lastMarked; // the latest request was marked Connection: close when decoded
  private boolean closeAfterResponse;
  private boolean closeWhenReceived;
  private boolean closing;
  private long lastActivity; // accepted, or the end of the latest response: idle since then unless a request is in progress
  private ScheduledFuture<?> check;
  private long checkAt; // when the scheduled check runs
  // The latest request read, until its response is written; read by the drain from another thread
  // (requestInProgress). Release/acquire rather than volatile: no store fence twice per request.
  @SuppressWarnings("unused") // through CURRENT
  private HttpRequest current;
  private volatile boolean webSocket; // upgraded: the connection now carries WebSocket frames
  private boolean webSocketCloseSent; // by the application or by us

  ConnectionGuard(HttpDrain drain, ConnectionTimeouts timeouts) {
    this.drain = drain;
    this.headerReadNanos = orNever(timeouts.headerRead().toNanos());
    this.idleNanos = orNever(timeouts.idle().toNanos());
    this.graceNanos = timeouts.drainGrace().toNanos();
  }

  private static long orNever(long nanos) {
    return nanos == 0 ? Long.MAX_VALUE : nanos;
  }

  /**
   * The handler to put at the front of the pipeline, before the HTTP decoder: it tells this guard
   * when the bytes of a new request start to arrive, which the decoder does not say until the head
   * is complete.
   */
  ChannelInboundHandlerAdapter headWatch() {
    return new ChannelInboundHandlerAdapter() {
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
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.lastActivity = System.nanoTime();
    this.headArriving = true; // the first request is due from the accept on
    this.headSince = lastActivity;
    drain.register(this);
    rearm(Math.min(headerReadNanos, idleNanos));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (check != null) {
      check.cancel(false);
    }
    drain.unregister(this);
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
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
      CURRENT.setRelease(this, request);
      pending++;
      receiving = true;
      headArriving = false;
      headBytes = false;
      // Marked requests are closed by Vert.x itself after the exchange, body read and all.
      lastMarked = drain.isDraining();
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
    if (msg instanceof HttpResponse response && response.status().code() == 101) {
      webSocket = true; // the upgrade's answer; what follows are WebSocket frames
      pending = 0;
      CURRENT.setRelease(this, null);
      super.write(ctx, msg, promise);
      return;
    }
    // With a request pipelined behind this one, this response stays keep-alive (RFC 9112 9.6: no
    // request may be processed after a "close"); the pipelined one was marked when decoded, so
    // it gets its own answer and the connection closes after that.
    if (msg instanceof HttpResponse response && pending <= 1 && drain.isDraining()) {
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
        rearm(graceNanos);
      }
    }
    super.write(ctx, msg, promise);
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
      if (closing && check != null) {
        check.cancel(false);
        check();
      }
    });
  }

  /** The listener is closed: from now on, idle means done. Called on any thread. */
  @Override
  public void beginClosing() {
    ctx.executor().execute(() -> {
      closing = true;
      if (check != null) {
        check.cancel(false);
      }
      check();
    });
  }

  /** Closes the connection now, whatever it is doing (the drain deadline has passed). */
  @Override
  public void forceClose() {
    ctx.close();
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
    check = null;
    if (!ctx.channel().isActive()) {
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
      rearm(wait); // a request in progress is never timed out
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
        rearm(wait);
        return;
      }
      if (headBytes) {
        rearm(wait); // during drain too, a head on its way is a request coming: answered, not closed
        return;
      }
    }
    if (closing) {
      // Closed once idle for the grace and nothing is left in flight: closing sooner would not end
      // the drain sooner, and meanwhile a client that stalled still gets its answer.
      long idleFor = now - lastActivity;
      if (idleFor < graceNanos) {
        rearm(graceNanos - idleFor);
      } else if (drain.workDrained()) {
        ctx.close();
      } else {
        rearm(wait); // looked at again; the end of the last request in flight also tells every guard
      }
      return;
    }
    long left = idleNanos - (now - lastActivity);
    if (left <= 0) {
      ctx.close(); // idle between requests for server.idle_timeout
    } else {
      rearm(Math.min(wait, left));
    }
  }

  /**
   * The head due was not complete in time: {@code 408} if some of it had arrived (a client that
   * was sending gets an answer it can act on), a plain close if nothing had.
   */
  private void timeOutHead() {
    if (!headBytes) {
      ctx.close();
      return;
    }
    ctx.writeAndFlush(ClosingResponse.json(HttpResponseStatus.REQUEST_TIMEOUT, TIMED_OUT)).addListener(ChannelFutureListener.CLOSE);
  }

  /** Makes sure a check runs within {@code delayNanos}; a check already due sooner stays. */
  private void rearm(long delayNanos) {
    if (delayNanos == Long.MAX_VALUE) {
      return; // every timeout off
    }
    long at = System.nanoTime() + delayNanos;
    if (check != null) {
      if (checkAt - at <= 0) {
        return;
      }
      check.cancel(false);
    }
    checkAt = at;
    check = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }
}
