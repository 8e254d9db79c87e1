package io.quiesce.api;

/**
 * How a {@link ShutdownTask} says it reached its deadline and forced what was left (closed
 * connections with requests still open, say): the report counts it as cut, with this message.
 */
public final class TaskCutException extends RuntimeException {
  public TaskCutException(String whatWasCut) {
    super(whatWasCut, null, false, false);
  }
}
