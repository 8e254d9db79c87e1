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
  /** Request written, then EOF or reset before the first response byte. */
  LOST_NO_RESPONSE(Verdict.LOST),
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
