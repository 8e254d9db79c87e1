package io.quiesce.http.drain;

/**
 * One accepted connection as the drain sees it, whatever its protocol: HTTP/1.1 and WebSocket
 * ({@link ConnectionGuard}), HTTP/2 ({@link Http2Goaway}).
 * Every method is called on any thread; implementations hop to the connection's event loop.
 */
interface DrainableConnection {

  /** The listener is closed: finish what was accepted, then close cleanly. */
  void beginClosing();

  /** The drain deadline has passed: close now, whatever is in progress. */
  void forceClose();

  /**
   * The request in progress on this connection ({@code "PUT /bucket/key"}), for the shutdown
   * report when it is cut; null when none is. Read from any thread: a best-effort snapshot.
   */
  String requestInProgress();
}
