package io.quiesce.drain;

/**
 * How a {@link DrainParticipant} says it reached its deadline and forced what was left (closed
 * connections with requests still running): the shutdown report then counts it as cut.
 */
public final class DrainCutException extends RuntimeException {
  public DrainCutException(String whatWasCut) {
    super(whatWasCut, null, false, false);
  }
}
