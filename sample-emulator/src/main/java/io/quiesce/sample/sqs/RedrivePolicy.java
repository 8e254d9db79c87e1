package io.quiesce.sample.sqs;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A queue's {@code RedrivePolicy}: a message received more than {@code maxReceiveCount} times is
 * moved to the dead-letter queue named by {@code deadLetterTargetArn} instead of being delivered again.
 */
record RedrivePolicy(String targetName, int maxReceiveCount) {

  static final String ATTRIBUTE = "RedrivePolicy";
  private static final Pattern ARN = Pattern.compile("arn:aws:sqs:[a-z0-9-]+:(\\d{12}):([A-Za-z0-9_.-]{1,80})");

  /** The policy in a queue's stored attributes; null when it has none. */
  static RedrivePolicy of(java.util.Map<String, String> attributes) {
    String json = attributes.get(ATTRIBUTE);
    return json == null || json.isEmpty() ? null : parse(json);
  }

  /** Parses the attribute's JSON as SQS takes it ({@code maxReceiveCount} a number or a numeric string). */
  static RedrivePolicy parse(String json) {
    JsonObject o;
    try {
      o = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw invalid(json, "it is not a JSON object.");
    }
    Object arn = o.getValue("deadLetterTargetArn");
    Object count = o.getValue("maxReceiveCount");
    if (!(arn instanceof String a) || count == null) {
      throw invalid(json, "it must name deadLetterTargetArn and maxReceiveCount.");
    }
    Matcher m = ARN.matcher(a);
    if (!m.matches() || !m.group(1).equals(SqsApi.ACCOUNT)) {
      throw invalid(json, "deadLetterTargetArn is not the ARN of a queue of account " + SqsApi.ACCOUNT + ".");
    }
    long n;
    try {
      n = count instanceof Number num && num.doubleValue() == num.longValue() ? num.longValue() : Long.parseLong(String.valueOf(count));
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > 1000) {
      throw invalid(json, "Invalid value for maxReceiveCount: " + count + ", valid values are from 1 to 1000 both inclusive.");
    }
    for (String field : o.fieldNames()) {
      if (!field.equals("deadLetterTargetArn") && !field.equals("maxReceiveCount")) {
        throw invalid(json, "unknown field " + field + ".");
      }
    }
    return new RedrivePolicy(m.group(2), (int) n);
  }

  /** The attribute's value as GetQueueAttributes answers it. */
  String toJson() {
    return new JsonObject().put("deadLetterTargetArn", SqsApi.arn(targetName)).put("maxReceiveCount", maxReceiveCount).encode();
  }

  static SqsError invalid(String json, String reason) {
    return SqsError.invalidParameter("Value " + json + " for parameter RedrivePolicy is invalid. Reason: " + reason);
  }
}
