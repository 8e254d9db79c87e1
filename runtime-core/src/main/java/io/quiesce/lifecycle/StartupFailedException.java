package io.quiesce.lifecycle;

/**
 * Carries a start failure whose own exception cannot hold suppressed exceptions (Vert.x message
 * failures), so that the rollback's errors, attached here as suppressed, are not lost. The original
 * error is the cause.
 */
public final class StartupFailedException extends RuntimeException {
  public StartupFailedException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
