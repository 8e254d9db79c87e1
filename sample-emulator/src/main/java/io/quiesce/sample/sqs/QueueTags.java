package io.quiesce.sample.sqs;

import java.util.Map;
import java.util.TreeMap;

/** A queue's cost-allocation tags, checked against SQS's limits: at most 50, keys 1 to 128 characters, values up to 256. */
final class QueueTags {

  static final int MAX_TAGS = 50;

  private QueueTags() {}

  /** {@code current} with {@code added} put over it, or SQS's error if the result breaks a limit. */
  static Map<String, String> merge(Map<String, String> current, Map<String, String> added) {
    for (Map.Entry<String, String> e : added.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.length() > 128 || key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
        throw SqsError.invalidParameter("Tag key \"" + key + "\" is invalid: 1 to 128 characters, not starting with aws:.");
      }
      if (e.getValue().length() > 256) {
        throw SqsError.invalidParameter("The value of tag \"" + key + "\" is longer than 256 characters.");
      }
    }
    Map<String, String> out = new TreeMap<>(current);
    out.putAll(added);
    if (out.size() > MAX_TAGS) {
      throw SqsError.invalidParameter("Too many tags: a queue has at most " + MAX_TAGS + " (this would make " + out.size() + ").");
    }
    return out;
  }
}
