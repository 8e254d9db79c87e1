package io.quiesce.test.probe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a {@link DrainProbe} saw through a signal: every request and how it ended, the exit code and
 * the time from the signal to the exit. {@link #toString()} is the table docs/DRAIN.md asks for:
 * counts per outcome, split by reused or fresh connection and by before or after the signal.
 */
public final class DrainReport {

  private final List<ProbeResult> results;
  private final int loops;
  private final int exitCode;
  private final Duration signalToExit;
  private final List<String> lossDetails;

  DrainReport(List<ProbeResult> results, int loops, int exitCode, Duration signalToExit, List<String> lossDetails) {
    this.results = List.copyOf(results);
    this.loops = loops;
    this.exitCode = exitCode;
    this.signalToExit = signalToExit;
    this.lossDetails = List.copyOf(lossDetails);
  }

  public List<ProbeResult> results() {
    return results;
  }

  public int exitCode() {
    return exitCode;
  }

  public Duration signalToExit() {
    return signalToExit;
  }

  /** How many requests match {@code p}. */
  public long count(Predicate<ProbeResult> p) {
    return results.stream().filter(p).count();
  }

  /**
   * Requests lost in the one window no server can close (docs/DRAIN.md, loss 4): a fresh connection,
   * written after the signal, that was reset before any byte came back — a connect the kernel
   * completed but the server had not accepted when its listening socket closed (the kernel resets
   * those). An EOF instead is the server closing a connection it had: counted in {@link #lost()}.
   */
  public long listenerCloseResets() {
    return count(r -> r.outcome() == Outcome.LOST_RESET && !r.reused() && r.afterSignal());
  }

  /** Every other lost request: the ones the drain promises never to lose. */
  public long lost() {
    return count(ProbeResult::lost) - listenerCloseResets();
  }

  /** Requests written after the signal: a run with none did not exercise the drain. */
  public long afterSignal() {
    return count(ProbeResult::afterSignal);
  }

  /**
   * The drain promise, in one call: requests were still being written after the signal, none was
   * lost, and the listener-close window ({@link #listenerCloseResets()}) stayed within half the
   * loops: every loop may be reconnecting, after its {@code 503}, at the instant the listening
   * socket closes, and the kernel resets what its backlog holds then (measured 0–5 with 16 loops
   * of fast requests). The bound still tells a drain from a bare Vert.x {@code HttpServer.shutdown},
   * which also loses requests on reused connections, and dozens in all.
   *
   * @return this report, for more checks
   * @throws AssertionError naming what failed, with the whole table
   */
  public DrainReport assertNothingLost() {
    if (afterSignal() == 0) {
      throw new AssertionError("no request was written after the signal, so the drain was not exercised\n" + this);
    }
    if (lost() > 0) {
      throw new AssertionError(lost() + " request(s) lost\n" + this);
    }
    if (listenerCloseResets() > Math.max(1, loops / 2)) {
      throw new AssertionError(listenerCloseResets() + " fresh connections reset at listener close, more than half the "
          + loops + " loops\n" + this);
    }
    return this;
  }

  /** Counts per outcome, split by reused or fresh connection and by before or after the signal, as a Markdown table. */
  public static String table(List<ProbeResult> results) {
    Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);
    for (ProbeResult r : results) {
      long[] c = counts.computeIfAbsent(r.outcome(), k -> new long[4]);
      c[(r.reused() ? 0 : 1) + (r.afterSignal() ? 2 : 0)]++;
    }
    StringBuilder sb = new StringBuilder(
        "| outcome | reused conn, before signal | fresh conn, before | reused, after signal | fresh, after |\n|---|---:|---:|---:|---:|\n");
    counts.forEach((o, c) -> sb.append(String.format("| %s | %d | %d | %d | %d |%n", o, c[0], c[1], c[2], c[3])));
    return sb.toString();
  }

  @Override
  public String toString() {
    return table(results) + "signal to exit: " + signalToExit.toMillis() + " ms, exit code " + exitCode
        + (lossDetails.isEmpty() ? "" : "\nlost: " + lossDetails);
  }
}
