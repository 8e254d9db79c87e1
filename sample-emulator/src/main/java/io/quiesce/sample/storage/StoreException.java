package io.quiesce.sample.storage;

/** A store operation refused because of what is (or is not) stored; nothing was changed. */
public final class StoreException extends Exception {

  /** Why the operation was refused. */
  public enum Reason { NO_SUCH_CONTAINER, NO_SUCH_ITEM, CONTAINER_EXISTS, CONTAINER_NOT_EMPTY, NO_SUCH_UPLOAD }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
