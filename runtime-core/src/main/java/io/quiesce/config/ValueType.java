package io.quiesce.config;

/**
 * How one kind of configuration value is read from raw input and shown back.
 *
 * <p>Raw input is a string (environment, {@code --set}), a YAML scalar (string, number, boolean)
 * or whatever object an emulator passes as application default. Null, mappings and lists are
 * rejected before a type sees them.
 */
interface ValueType<T> {

  Class<T> javaType();

  /** What is accepted, worded to follow "expected", e.g. {@code an integer from 0 to 65535}. */
  String expectation();

  T parse(Object raw) throws InvalidValueException;

  /** True if YAML lists are passed to {@link #parse}; otherwise they are refused as "not a list". */
  default boolean acceptsLists() {
    return false;
  }

  /** Renders a value so that {@link #parse} reads it back to the same value. */
  String format(T value);
}
