package io.quiesce.test.probe;

/**
 * One request (or connect attempt) of a probe and how it ended. A loop's results are in the order
 * it sent them, so what a loop did next tells a loss apart (e.g. a fresh connection lost and then
 * the loop's next connect refused: the listener had just closed).
 *
 * @param loop        the number of the loop that sent it (from 0, as {@link RequestMix#next} gets it)
 * @param reused      sent on a connection that had already carried a request (keep-alive)
 * @param afterSignal written after {@link ProbeLoad#markSignal}
 * @param status      the response's status, 0 when there was none
 * @param sentNanos   {@link System#nanoTime()} when it was written
 * @param slowMillis  what the request asked the server to take ({@link ProbeRequest#slowMillis()})
 * @param doneNanos   {@link System#nanoTime()} when its outcome was known
 */
public record ProbeResult(int loop, Outcome outcome, boolean reused, boolean afterSignal, int status, long sentNanos,
    long slowMillis, long doneNanos) {

  public boolean lost() {
    return outcome.verdict() == Outcome.Verdict.LOST;
  }

  public boolean slow() {
    return slowMillis > 0;
  }
}
