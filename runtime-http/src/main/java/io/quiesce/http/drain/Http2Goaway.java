package io.quiesce.http.drain;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection's timeouts and drain; each ends the connection with a GOAWAY (NO_ERROR)
 * whose last-stream-id tells the client which of its streams were processed.
 *
 * <p>Timeouts ({@link ConnectionTimeouts}), as Go's and Jetty's HTTP/2 servers have them: a
 * connection with no open stream for {@code idle}, or whose first stream has not come
 * {@code headerRead} after the accept (preface, SETTINGS and first HEADERS together), gets GOAWAY
 * with the last stream it sent and is ended as below. A stream the client sends meanwhile is above
 * that id: not processed, and the client knows it may retry it. An open stream is never timed out;
 * PINGs are not use. One timer per connection ({@link CheckTimer}); per stream, only the end of the
 * last open one is noted (one clock read).
 *
 * <p>The drain, by RFC 9113 §6.8, in two phases:
 *
 * <ol>
 *   <li>GOAWAY with last-stream-id 2^31−1 (NO_ERROR) and a PING: the client learns that the
 *       server is going away, but every stream it has already sent is still accepted.
 *   <li>When the PING is acknowledged (one round trip: every stream the client sent before it saw
 *       the first GOAWAY has arrived) or after {@link #PING_WAIT} at most, a final GOAWAY with the
 *       id of the last stream the server created. Streams at or below it run to completion;
 *       streams above it are not processed, which the client knows it may retry (§8.7).
 * </ol>
 *
 * <p>Once the last accepted stream is done, the server half-closes: it ends its side (a FIN, or a
 * TLS {@code close_notify}) and keeps reading until the client closes, at most {@link #LINGER}.
 * Closing outright risks a loss of its own: bytes the client sent last (a WINDOW_UPDATE, a
 * SETTINGS ack), unread in the server's socket, turn the close into a reset, and a reset can make
 * the client's kernel drop responses it has received but not yet read. GOAWAY and PING go through
 * Vert.x's public
 * {@link HttpConnection} API; the count of active streams and the half-close use the Netty
 * pipeline behind it (see docs/ARCHITECTURE.md).
 */
final class Http2Goaway implements DrainableConnection {

  /** Longest wait for the PING's acknowledgement before the final GOAWAY. */
  static final Duration PING_WAIT = Duration.ofSeconds(1);
  private static final long NO_ERROR = 0;

  /** Longest wait, after the server ended its side, for the client to close. */
  static final Duration LINGER = Duration.ofSeconds(1);

  private final HttpConnection connection;
  private final ChannelHandlerContext ctx;
  private final Http2ConnectionHandler http2;
  private final EventLoop loop;
  private final long headerReadNanos; // Long.MAX_VALUE: off
  private final long idleNanos; // Long.MAX_VALUE: off
  private final long headDueSince; // the accept: the first stream is due from then
  private long idleSince; // when the last open stream ended, or the connection was set up
  private CheckTimer timer;
  private boolean closing; // on the event loop
  private boolean ended;

  /**
   * @param headDueSince when the first request became due ({@link System#nanoTime()}): the accept,
   *     as the connection's {@link ConnectionGuard} counted it before handing over
   */
  Http2Goaway(HttpConnection connection, ChannelHandlerContext ctx, ConnectionTimeouts timeouts, long headDueSince) {
    this.connection = connection;
    this.ctx = ctx;
    this.http2 = (Http2ConnectionHandler) ctx.handler();
    this.loop = ctx.channel().eventLoop();
    this.headerReadNanos = timeouts.headerReadNanos();
    this.idleNanos = timeouts.idleNanos();
    this.headDueSince = headDueSince;
  }

  /** Starts the timeouts; on the event loop, once the connection is set up. */
  void start() {
    if (headerReadNanos == Long.MAX_VALUE && idleNanos == Long.MAX_VALUE) {
      return;
    }
    Http2Connection streams = http2.connection();
    idleSince = System.nanoTime();
    streams.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        if (streams.numActiveStreams() == 0) {
          idleSince = System.nanoTime();
        }
      }
    });
    timer = new CheckTimer(loop, this::check);
    timer.now();
  }

  private void check() {
    if (closing || !ctx.channel().isActive()) {
      return; // the drain has the connection now, or it is gone
    }
    Http2Connection streams = http2.connection();
    if (streams.numActiveStreams() > 0) {
      timer.within(idleNanos); // an open stream is never timed out
      return;
    }
    long now = System.nanoTime();
    boolean noStreamYet = streams.remote().lastStreamCreated() == 0;
    long headLeft = noStreamYet && headerReadNanos != Long.MAX_VALUE ? headerReadNanos - (now - headDueSince) : Long.MAX_VALUE;
    long idleLeft = idleNanos != Long.MAX_VALUE ? idleNanos - (now - idleSince) : Long.MAX_VALUE;
    if (headLeft <= 0 || idleLeft <= 0) {
      closing = true; // the drain, if it begins, finds the GOAWAY sent
      connection.goAway(NO_ERROR, -1, null); // -1: the last stream the client opened
      endOurSide();
    } else {
      timer.within(Math.min(headLeft, idleLeft));
    }
  }

  @Override
  public void beginClosing() {
    loop.execute(() -> {
      if (closing) {
        return;
      }
      closing = true;
      connection.goAway(NO_ERROR, Integer.MAX_VALUE, null);
      connection.ping(Buffer.buffer(new byte[8]))
          .timeout(PING_WAIT.toMillis(), TimeUnit.MILLISECONDS)
          .onComplete(ar -> loop.execute(this::finalGoaway));
    });
  }

  private void finalGoaway() {
    connection.goAway(NO_ERROR, -1, null); // -1: the last stream the client opened
    Http2Connection streams = http2.connection();
    if (streams.numActiveStreams() == 0) {
      endOurSide();
      return;
    }
    streams.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        if (streams.numActiveStreams() == 0) {
          endOurSide();
        }
      }
    });
  }

  // After the frames already written (the last response) are flushed: close_notify with TLS, FIN
  // without; the client's own close then ends the connection, or the linger does.
  private void endOurSide() {
    if (ended) {
      return;
    }
    ended = true;
    Channel ch = ctx.channel();
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      SslHandler tls = ch.pipeline().get(SslHandler.class);
      if (tls != null) {
        tls.closeOutbound();
      } else if (ch instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      } else {
        ch.close();
      }
    });
    loop.schedule(() -> {
      ch.close();
    }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void forceClose() {
    loop.execute(() -> ctx.channel().close());
  }

  /** "3 HTTP/2 stream(s)", or null when none is active (read off the event loop: a report's snapshot). */
  @Override
  public String requestInProgress() {
    int active = http2.connection().numActiveStreams();
    return active == 0 ? null : active + " HTTP/2 stream(s)";
  }
}
