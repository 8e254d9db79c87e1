package io.quiesce.http.drain;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
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
 *       progress is closed when it has been idle for the grace period. A client that writes a
 *       request within the grace gets an answer instead of a reset.
 *   <li>A connection upgraded to WebSocket (the guard sees the 101) is never closed as idle: at
 *       {@link #beginClosing()} — after the application's drain subscribers were told — it gets
 *       a close frame 1001 Going Away unless the application sent its own, and it closes when
 *       the client answers with its close frame (or at the drain deadline).
 * </ul>
 *
 * <p>All state is confined to the connection's event loop; the only per-message work is a type
 * test and, for the first line of a request or response, one volatile read.
 */
final class ConnectionGuard extends ChannelDuplexHandler implements DrainableConnection {

  private final HttpDrain drain;
  private final long graceNanos;
  private ChannelHandlerContext ctx;
  private int pending; // requests read whose response has not been written in full
  private boolean receiving; // a request's head was read, its end not yet
  private boolean lastMarked; // the latest request was marked Connection: close when decoded
  private boolean closeAfterResponse;
  private boolean closeWhenReceived;
  private boolean closing;
  private long lastActivity;
  private ScheduledFuture<?> idleCheck;
  private volatile HttpRequest current; // the latest request read, until its response is written
  private volatile boolean webSocket; // upgraded: the connection now carries WebSocket frames
  private boolean webSocketCloseSent; // by the application or by us

  ConnectionGuard(HttpDrain drain, long graceNanos) {
    this.drain = drain;
    this.graceNanos = graceNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.lastActivity = System.nanoTime();
    drain.register(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    drain.unregister(this);
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lastActivity = System.nanoTime();
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
      current = request;
      pending++;
      receiving = true;
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
        ctx.close();
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
      current = null;
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
        current = null;
      }
      lastActivity = System.nanoTime();
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
        scheduleIdleCheck(graceNanos);
      }
    }
    super.write(ctx, msg, promise);
  }

  /** The listener is closed: from now on, idle means done. Called on any thread. */
  @Override
  public void beginClosing() {
    ctx.executor().execute(() -> {
      closing = true;
      checkIdle();
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
    HttpRequest r = current;
    return r == null ? null : r.method() + " " + r.uri();
  }

  private void checkIdle() {
    idleCheck = null;
    if (webSocket) {
      // After the application's drain subscribers (told when shutdown began) had their turn: a
      // close frame 1001 Going Away, unless the application sent its own; the client's answer
      // completes the handshake and ends the connection (or the drain deadline does).
      if (!webSocketCloseSent && ctx.channel().isActive()) {
        webSocketCloseSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down"));
      }
      return;
    }
    if (pending > 0 || !ctx.channel().isActive()) {
      return; // the end of the exchange schedules the next check
    }
    long idleFor = System.nanoTime() - lastActivity;
    if (idleFor >= graceNanos) {
      ctx.close();
    } else {
      scheduleIdleCheck(graceNanos - idleFor);
    }
  }

  private void scheduleIdleCheck(long delayNanos) {
    if (idleCheck == null) {
      idleCheck = ctx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }
  }
}
