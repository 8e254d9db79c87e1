package io.quiesce.test.probe;

/**
 * One request of a probe and how it ended.
 *
 * @param reused      sent on a connection that had already carried a request (keep-alive)
 * @param afterSignal written after {@link ProbeLoad#markSignal}
 * @param status      the response's status, 0 when there was none
 * @param sentNanos   {@link System#nanoTime()} when it was written
 * @param slowMillis  what the request asked the server to take ({@link ProbeRequest#slowMillis()})
 * @param doneNanos   {@link System#nanoTime()} when its outcome was known
 */
public record ProbeResult(Outcome outcome, boolean reused, boolean afterSignal, int status, long sentNanos,
    long slowMillis, long doneNanos) {

  public boolean lost() {
    return outcome.verdict() == Outcome.Verdict.LOST;
  }

  public boolean slow() {
    return slowMillis > 0;
  }
}
