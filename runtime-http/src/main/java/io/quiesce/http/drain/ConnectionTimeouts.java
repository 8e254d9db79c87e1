package io.quiesce.http.drain;

import java.time.Duration;

/**
 * How long a connection may sit without a request in progress before the server closes it, for
 * HTTP/1.x ({@link ConnectionGuard}) and HTTP/2 ({@link Http2Goaway}). A request in progress (its
 * head read, its response not yet written in full; an open HTTP/2 stream) is never timed out.
 * Zero turns {@code headerRead} and {@code idle} off; a zero {@code drainGrace} closes at once.
 *
 * @param headerRead a connection's first request head (HTTP/2: its first stream) must be complete
 *     this long after the accept, and each later HTTP/1.x head this long after it began to arrive:
 *     what ends silent connections and slowly sent heads
 * @param idle between requests (HTTP/2: with no open stream), a connection is closed after this
 *     long; long by default, since a client may send its next request just as the close goes out
 * @param drainGrace during drain, once nothing is left in flight, an idle connection is closed
 *     after this long without activity
 */
public record ConnectionTimeouts(Duration headerRead, Duration idle, Duration drainGrace) {

  public ConnectionTimeouts {
    for (Duration d : new Duration[] {headerRead, idle, drainGrace}) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("connection timeouts must not be negative: " + d);
      }
    }
  }

  /** {@link #headerRead()} in nanoseconds; {@code Long.MAX_VALUE} when off. */
  long headerReadNanos() {
    return orNever(headerRead);
  }

  /** {@link #idle()} in nanoseconds; {@code Long.MAX_VALUE} when off. */
  long idleNanos() {
    return orNever(idle);
  }

  private static long orNever(Duration d) {
    return d.isZero() ? Long.MAX_VALUE : d.toNanos();
  }
}
