package io.quiesce.http.drain;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
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
 *       the connection is closed once that response is written.
 *   <li>Once the listener is closed ({@link #beginClosing()}), a connection with no exchange in
 *       progress is closed when it has been idle for the grace period. A client that writes a
 *       request within the grace gets an answer instead of a reset.
 * </ul>
 *
 * <p>All state is confined to the connection's event loop; the only per-message work is a type
 * test and, for the first line of a request or response, one volatile read.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

  private final ConnectionDrain drain;
  private final long graceNanos;
  private ChannelHandlerContext ctx;
  private boolean exchangeOpen;
  private boolean closeAfterResponse;
  private boolean closing;
  private long lastActivity;
  private ScheduledFuture<?> idleCheck;

  ConnectionGuard(ConnectionDrain drain, long graceNanos) {
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
    if (msg instanceof HttpRequest request) {
      exchangeOpen = true;
      if (drain.isDraining()) {
        HttpUtil.setKeepAlive(request, false);
      }
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response && drain.isDraining() && HttpUtil.isKeepAlive(response)) {
      HttpUtil.setKeepAlive(response, false);
      closeAfterResponse = true;
    }
    if (msg instanceof LastHttpContent) {
      exchangeOpen = false;
      lastActivity = System.nanoTime();
      if (closeAfterResponse) {
        promise = promise.unvoid();
        promise.addListener(ChannelFutureListener.CLOSE);
      } else if (closing) {
        scheduleIdleCheck(graceNanos);
      }
    }
    super.write(ctx, msg, promise);
  }

  /** The listener is closed: from now on, idle means done. Called on any thread. */
  void beginClosing() {
    ctx.executor().execute(() -> {
      closing = true;
      checkIdle();
    });
  }

  /** Closes the connection now, whatever it is doing (the drain deadline has passed). */
  void forceClose() {
    ctx.close();
  }

  private void checkIdle() {
    idleCheck = null;
    if (exchangeOpen || !ctx.channel().isActive()) {
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
