package io.quiesce.process;

/** How {@code stop} ended, each with its own exit code (documented in the README). */
public enum StopOutcome {
  /** The instance exited after SIGTERM, within the timeout: a graceful shutdown. */
  STOPPED(0),
  /** It could not be stopped: signalling was refused, or it outlived even SIGKILL. */
  FAILED(1),
  /** There was no PID file: nothing to stop. */
  NOT_RUNNING(3),
  /** The PID file named a process that no longer exists; the file was removed. */
  STALE_PID_FILE(4),
  /** It did not exit within the timeout after SIGTERM and was killed with SIGKILL. */
  KILLED(5);

  private final int exitCode;

  StopOutcome(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
