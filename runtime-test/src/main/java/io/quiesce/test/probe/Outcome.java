package io.quiesce.test.probe;

/** How one request (or connect attempt) of a probe loop ended, as docs/DRAIN.md classifies it. */
public enum Outcome {
  /** A complete 2xx. */
  OK(Verdict.COMPLETED),
  /** A complete response with another status than 2xx or 503: the route's own answer. */
  OTHER_STATUS(Verdict.COMPLETED),
  /** A complete 503: nothing ran, the client may retry. */
  REFUSED_503(Verdict.REFUSED),
  /** The connect itself was refused: nothing was sent. */
  CONNECT_REFUSED(Verdict.REFUSED),
  /** TLS only: the connection closed during the handshake, before any request was written. */
  HANDSHAKE_FAILED(Verdict.REFUSED),
  /** The write failed at once: the connection was already known to be dead. */
  WRITE_FAILED(Verdict.REFUSED),
  /**
   * Request written, then EOF before the first response byte: the server had the connection (the
   * kernel completed the connect, and something in the server closed it) and did not answer.
   */
  LOST_NO_RESPONSE(Verdict.LOST),
  /**
   * Request written, then a reset before the first response byte. On a fresh connection just after
   * the signal, the signature of the listen-backlog window (docs/DRAIN.md, loss 4): closing a
   * listening socket resets every connect still queued in its backlog, which no server accepted.
   */
  LOST_RESET(Verdict.LOST),
  /** Response cut in the middle. */
  LOST_PARTIAL(Verdict.LOST),
  /** No complete response within the probe's read timeout. */
  LOST_TIMEOUT(Verdict.LOST);

  private final Verdict verdict;

  Outcome(Verdict verdict) {
    this.verdict = verdict;
  }

  public Verdict verdict() {
    return verdict;
  }

  /**
   * The three classes the drain promise speaks of: a request either completed, was refused cleanly
   * (the client knows nothing ran) or was lost (the client cannot know whether it ran).
   */
  public enum Verdict {
    COMPLETED,
    REFUSED,
    LOST
  }
}
