package io.quiesce.hooks;

import java.time.Duration;

/**
 * How one hook run ended.
 *
 * @param exitCode the process exit code (128 + signal number when a signal ended it); -1 if it never started
 * @param timedOut the time limit ran out and the hook was sent SIGTERM
 * @param killed it was still running after the grace period and was sent SIGKILL
 * @param startError why the process could not be started; null if it started
 * @param stdoutTail the last lines of its standard output (at most a few KB)
 * @param stderrTail the last lines of its standard error
 */
public record HookResult(HookCommand command, int exitCode, Duration took, boolean timedOut, boolean killed,
    String startError, String stdoutTail, String stderrTail) {

  /** Started, finished within its limit, and exited 0. */
  public boolean succeeded() {
    return startError == null && !timedOut && exitCode == 0;
  }

  /** One line for logs: what ran, how it ended, how long it took. */
  public String summary() {
    String how = startError != null ? "could not start: " + startError
        : killed ? "timed out, SIGTERM ignored, killed with SIGKILL (exit " + exitCode + ")"
        : timedOut ? "timed out, stopped with SIGTERM (exit " + exitCode + ")"
        : "exit " + exitCode;
    return command.source() + " [" + command.display() + "]: " + how + " after " + took.toMillis() + " ms";
  }
}
