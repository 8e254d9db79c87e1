package io.quiesce.config;

/** A raw value does not fit a key's type; the message is the reason shown to the user. */
final class InvalidValueException extends Exception {

  InvalidValueException(String reason) {
    super(reason, null, false, false);
  }

  /** The usual reason: {@code expected <what the type accepts>}. */
  static InvalidValueException expected(String expectation) {
    return new InvalidValueException("expected " + expectation);
  }
}
