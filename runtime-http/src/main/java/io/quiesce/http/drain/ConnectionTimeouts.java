package io.quiesce.http.drain;

import java.time.Duration;

/**
 * How long an HTTP/1.1 connection may sit without a request in progress before the server closes it.
 * A request in progress (its head read, its response not yet written in full) is never timed out.
 * Zero turns {@code headerRead} and {@code idle} off; a zero {@code drainGrace} closes at once.
 *
 * @param headerRead a request head must be complete this long after it began to arrive (or after
 *     the connection was accepted): what ends silent connections and slowly sent heads
 * @param idle between requests, a connection with nothing arriving is closed after this long;
 *     long by default, since a client may send its next request just as the close goes out
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
}
