package io.quiesce.lifecycle;

/** Startup did not complete because a shutdown was requested while services were starting. */
public final class StartupAbortedException extends IllegalStateException {
  public StartupAbortedException(String reason) {
    super("startup aborted: shutdown requested (" + reason + ")");
  }
}
