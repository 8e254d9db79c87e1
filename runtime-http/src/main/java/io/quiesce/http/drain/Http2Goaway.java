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
 * One HTTP/2 connection's drain, by RFC 9113 §6.8, in two phases:
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
  private boolean closing; // on the event loop
  private boolean ended;

  Http2Goaway(HttpConnection connection, ChannelHandlerContext ctx) {
    this.connection = connection;
    this.ctx = ctx;
    this.http2 = (Http2ConnectionHandler) ctx.handler();
    this.loop = ctx.channel().eventLoop();
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
    connection.goAway(NO_ERROR, -1, null); // -1: the last stream the server created
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
