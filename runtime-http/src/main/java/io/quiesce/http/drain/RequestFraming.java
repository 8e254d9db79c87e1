package io.quiesce.http.drain;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The refusal, with 400 and the end of the connection, of a request whose body cannot be framed
 * (RFC 9112 §6.1, §6.3): a {@code Transfer-Encoding} other than exactly {@code chunked}, or one
 * sent with a {@code Content-Length}. Such a request is a smuggling attempt or a broken client:
 * Netty frames {@code Transfer-Encoding: xchunked} by its {@code Content-Length}, and a request with
 * {@code Transfer-Encoding: gzip} and no length as having no body, so that its body would be read
 * as the next request. (Netty itself fails {@code chunked} with a {@code Content-Length} or not
 * last; those are answered here too, the same way.)
 *
 * <p>Why in the pipeline, and not in front of the router like the other refusals: a request
 * smuggled behind the refused one has already been decoded when the refusal is written, and Vert.x
 * would hand it to the router after it. The connection's {@link ConnectionGuard}, between the codec
 * and Vert.x, asks {@link #refuses} of each request it decodes; from a refused one on, nothing
 * read reaches Vert.x. The refusal is written from there and the connection ends: its output is
 * shut (the client reads the whole answer, then EOF), and what the client still sends is dropped
 * until it closes, or for at most {@link #LINGER_MS}, so that unread bytes do not reset the answer
 * away. (It was a handler of its own before the guard: one more pipeline step for every message
 * of every request, where this is one header lookup.)
 */
final class RequestFraming {

  /** Longest wait, after the refusal, for the client to stop sending and close. */
  static final long LINGER_MS = 1_000;

  private static final byte[] REFUSAL = ("{\"error\":\"invalid_framing\",\"message\":"
      + "\"Transfer-Encoding must be exactly 'chunked', without a Content-Length (RFC 9112 6.1); the connection is closed.\"}")
      .getBytes(StandardCharsets.US_ASCII);

  private RequestFraming() {}

  /** Whether {@code request} is to be refused: it has a {@code Transfer-Encoding} that does not frame its body. */
  static boolean refuses(HttpRequest request) {
    return request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING) && !framed(request);
  }

  /**
   * Exactly one transfer coding, {@code chunked}, and no {@code Content-Length}; a request Netty
   * could not decode is judged here too when it failed on its framing, so that every such refusal
   * is the same (a head too long keeps Vert.x's 414 or 431).
   */
  private static boolean framed(HttpRequest request) {
    Throwable failure = request.decoderResult().cause();
    if (failure instanceof TooLongFrameException) {
      return true;
    }
    List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    return failure == null && codings.size() == 1 && codings.get(0).strip().equalsIgnoreCase("chunked")
        && !request.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  /** Writes the refusal from {@code ctx} and ends the connection after it. */
  static void refuse(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(ClosingResponse.json(HttpResponseStatus.BAD_REQUEST, REFUSAL)).addListener(written -> {
      if (ctx.channel() instanceof DuplexChannel duplex && ctx.pipeline().get(SslHandler.class) == null && written.isSuccess()) {
        duplex.shutdownOutput(); // FIN after the answer; the client's own close (or the linger) ends the rest
        ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
      } else {
        ctx.close(); // with TLS, close sends close_notify after the answer
      }
    });
  }
}
