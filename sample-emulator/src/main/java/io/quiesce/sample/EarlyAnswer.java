package io.quiesce.sample;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request answered before its body was read (an error found in the headers, a body over its
 * limit): the rest of the body is discarded as it arrives, never buffered, and the connection is
 * closed once the client has finished sending — or once {@link #DISCARD_LIMIT_BYTES} more have
 * arrived, or {@link #DISCARD_LIMIT_MS} have passed. Closing at once would reset a connection the
 * client is still writing a small body to: its SDK would then report "error writing request body"
 * instead of the error the response carries. The limits keep an endless body from being read.
 */
public final class EarlyAnswer {

  /** Most of a body already answered that is read (and dropped) before the connection is closed. */
  static final long DISCARD_LIMIT_BYTES = 1024 * 1024;
  /** Longest a client may go on sending a body already answered before the connection is closed. */
  static final long DISCARD_LIMIT_MS = 5_000;

  private EarlyAnswer() {}

  /**
   * Discards the rest of the body, closing the connection once it has arrived or a limit is
   * reached. Call before answering, on the request's event loop; the answer should carry
   * {@code Connection: close}.
   */
  public static void discardBodyThenClose(HttpServerRequest req) {
    Vertx vertx = Vertx.currentContext().owner();
    long[] dropped = {0};
    long timer = vertx.setTimer(DISCARD_LIMIT_MS, t -> req.connection().close());
    req.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > DISCARD_LIMIT_BYTES) {
        vertx.cancelTimer(timer);
        req.connection().close();
      }
    });
    req.endHandler(v -> {
      vertx.cancelTimer(timer);
      // After the current handler, which writes the answer: the answer goes out before the close.
      vertx.runOnContext(x -> req.connection().close());
    });
    req.resume();
  }
}
