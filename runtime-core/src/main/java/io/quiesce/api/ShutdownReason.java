package io.quiesce.api;

/**
 * Why a shutdown was asked for. A class rather than an enum so that emulators and later
 * features (group restart, for one) can name their own reasons.
 */
public record ShutdownReason(String name) {

  /** SIGTERM or SIGINT. */
  public static final ShutdownReason SIGNAL = new ShutdownReason("SIGNAL");
  /** Called from code, e.g. a test ending or an admin action. */
  public static final ShutdownReason MANUAL = new ShutdownReason("MANUAL");
  /** The runtime hit an error it cannot serve through. */
  public static final ShutdownReason ERROR = new ShutdownReason("ERROR");
  /** A time limit of the emulator's own ran out. */
  public static final ShutdownReason TIMEOUT = new ShutdownReason("TIMEOUT");
  /** The JVM is exiting by another path (System.exit elsewhere) and the shutdown hook caught it. */
  public static final ShutdownReason JVM_EXIT = new ShutdownReason("JVM_EXIT");
  /** A group restart notice: the process exits with {@code ExitCodes.RESTART} so its supervisor starts it again. */
  public static final ShutdownReason RESTART = new ShutdownReason("RESTART");

  public ShutdownReason {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a shutdown reason needs a name");
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
