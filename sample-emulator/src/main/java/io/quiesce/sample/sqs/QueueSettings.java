package io.quiesce.sample.sqs;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The attributes a queue may be created or reconfigured with, checked as SQS checks them: numeric
 * ranges, the FIFO-only settings, and the redrive policy (its target must exist and be of the
 * same type). Values are normalized to the strings GetQueueAttributes answers.
 */
final class QueueSettings {

  static final String FIFO = "FifoQueue";
  static final String CONTENT_DEDUP = "ContentBasedDeduplication";
  static final String DEDUP_SCOPE = "DeduplicationScope";
  static final String THROUGHPUT_LIMIT = "FifoThroughputLimit";
  static final int MAX_DELAY_SECONDS = 900;

  /** Settable numeric attributes with their accepted ranges. */
  private static final Map<String, long[]> RANGES = Map.of(
      "VisibilityTimeout", new long[] {0, 43_200},
      "ReceiveMessageWaitTimeSeconds", new long[] {0, SqsApi.MAX_WAIT_SECONDS},
      "DelaySeconds", new long[] {0, MAX_DELAY_SECONDS},
      "MaximumMessageSize", new long[] {1024, SqsApi.MAX_MESSAGE_BYTES},
      "MessageRetentionPeriod", new long[] {60, 1_209_600});
  private static final Map<String, Set<String>> FIFO_CHOICES = Map.of(
      CONTENT_DEDUP, Set.of("true", "false"),
      DEDUP_SCOPE, Set.of("queue", "messageGroup"),
      THROUGHPUT_LIMIT, Set.of("perQueue", "perMessageGroupId"));
  private static final Set<String> SUPPORTED = Set.of("VisibilityTimeout", "ReceiveMessageWaitTimeSeconds", "DelaySeconds",
      "MaximumMessageSize", "MessageRetentionPeriod", FIFO, CONTENT_DEDUP, DEDUP_SCOPE, THROUGHPUT_LIMIT, RedrivePolicy.ATTRIBUTE);

  private QueueSettings() {}

  /** The attributes of a new queue before the requested ones. */
  static Map<String, String> defaults(boolean fifo) {
    Map<String, String> out = new TreeMap<>(Map.of(
        "VisibilityTimeout", "30",
        "ReceiveMessageWaitTimeSeconds", "0",
        "DelaySeconds", "0",
        "MaximumMessageSize", Integer.toString(SqsApi.MAX_MESSAGE_BYTES),
        "MessageRetentionPeriod", "345600"));
    if (fifo) {
      out.put(FIFO, "true");
      out.put(CONTENT_DEDUP, "false");
      out.put(DEDUP_SCOPE, "queue");
      out.put(THROUGHPUT_LIMIT, "perQueue");
    }
    return out;
  }

  /**
   * The requested attributes, checked and normalized, for a queue that is FIFO or not.
   * {@code FifoQueue} may only be given at creation ({@code creating}); {@code queues} finds a
   * redrive target by name (null if there is none). An empty RedrivePolicy removes the policy.
   */
  static Map<String, String> check(JsonObject requested, boolean fifo, boolean creating, Function<String, Queue> queues) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : requested) {
      String name = e.getKey();
      if (!SUPPORTED.contains(name) || !fifo && FIFO_CHOICES.containsKey(name)) {
        throw new SqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + " (this emulator "
            + "sets " + new TreeSet<>(RANGES.keySet()) + ", " + RedrivePolicy.ATTRIBUTE + " and " + FIFO + ", and on FIFO queues "
            + new TreeSet<>(FIFO_CHOICES.keySet()) + ").");
      }
      if (!(e.getValue() instanceof String v)) {
        throw invalidValue(name, e.getValue(), "a string");
      }
      if (name.equals(FIFO)) {
        if (!creating) {
          throw new SqsError("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute FifoQueue: a queue's type is "
              + "set when it is created and cannot be changed.");
        }
        if (!v.equals(fifo ? "true" : "false")) {
          throw SqsError.invalidParameter(fifoName());
        }
        if (fifo) {
          out.put(name, v);
        }
      } else if (name.equals(RedrivePolicy.ATTRIBUTE)) {
        out.put(name, v.isEmpty() ? "" : checkedRedrive(v, fifo, queues).toJson());
      } else if (FIFO_CHOICES.containsKey(name)) {
        if (!FIFO_CHOICES.get(name).contains(v)) {
          throw invalidValue(name, v, "one of " + new TreeSet<>(FIFO_CHOICES.get(name)));
        }
        out.put(name, v);
      } else {
        long[] range = RANGES.get(name);
        long n;
        try {
          n = Long.parseLong(v);
        } catch (NumberFormatException ex) {
          n = Long.MIN_VALUE;
        }
        if (n < range[0] || n > range[1]) {
          throw invalidValue(name, v, "an integer from " + range[0] + " to " + range[1]);
        }
        out.put(name, Long.toString(n));
      }
    }
    return out;
  }

  /** What SQS says when a name and the FifoQueue attribute disagree. */
  static String fifoName() {
    return "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with "
        + ".fifo suffix and be 1 to 80 in length; a queue whose name ends with .fifo needs the attribute FifoQueue=true "
        + "and only such a queue may have it.";
  }

  private static RedrivePolicy checkedRedrive(String json, boolean fifo, Function<String, Queue> queues) {
    RedrivePolicy p = RedrivePolicy.parse(json);
    Queue target = queues.apply(p.targetName());
    if (target == null) {
      throw RedrivePolicy.invalid(json, "Dead letter target does not exist.");
    }
    if (target.fifo() != fifo) {
      throw RedrivePolicy.invalid(json, "Dead-letter queue must be same type of queue as the source.");
    }
    return p;
  }

  private static SqsError invalidValue(String name, Object value, String expected) {
    return new SqsError("InvalidAttributeValue", "InvalidAttributeValue", "Invalid value for the parameter " + name
        + ": expected " + expected + ", was \"" + value + "\".");
  }
}
