package io.quiesce.signal;

/**
 * The process exit codes of a Quiesce runtime, documented in the README so that scripts and
 * supervisors can rely on them.
 */
public final class ExitCodes {

  /** Shut down cleanly: everything drained, every callback and service stop finished in time. */
  public static final int CLEAN = 0;
  /** Startup failed, or shutdown was forced (something was cut or failed, or a second signal). */
  public static final int FAILED = 1;
  /** Bad configuration or command line; nothing was started. */
  public static final int BAD_CONFIG = 2;
  /**
   * Shut down because of a group restart notice; start me again. 75 is sysexits' EX_TEMPFAIL,
   * which systemd's {@code Restart=on-failure} and Docker's {@code on-failure} policy restart.
   */
  public static final int RESTART = 75;

  private ExitCodes() {}
}
