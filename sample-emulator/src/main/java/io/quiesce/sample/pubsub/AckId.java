package io.quiesce.sample.pubsub;

/** Ack ids as {@link Backlog} makes them, {@code seq-attempt}; anything else is the client's mistake. */
final class AckId {

  private AckId() {}

  static long seq(String ackId) {
    return part(ackId, true);
  }

  static int attempt(String ackId) {
    return (int) part(ackId, false);
  }

  private static long part(String ackId, boolean seq) {
    int dash = ackId.indexOf('-');
    try {
      long v = Long.parseLong(seq ? ackId.substring(0, dash) : ackId.substring(dash + 1));
      if (v >= 0 && (seq || v <= Integer.MAX_VALUE)) {
        return v;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw PubSubError.invalid("Invalid ack ID \"" + ackId + "\": not an ack ID this emulator gave out");
  }
}
