package io.quiesce.sample.sqs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of an SQS JSON request: a field of the wrong JSON type is the client's mistake
 * ({@code InvalidParameterValue}, 400) naming the field, never a server error.
 */
final class SqsJson {

  private SqsJson() {}

  /** A required string field. */
  static String string(JsonObject in, String field) {
    String s = optionalString(in, field, null);
    if (s == null) {
      throw SqsError.missingParameter(field);
    }
    return s;
  }

  static String optionalString(JsonObject in, String field, String absent) {
    Object v = in.getValue(field);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof String s)) {
      throw SqsError.invalidParameter(field + " must be a string.");
    }
    return s;
  }

  /** An optional JSON object field; empty when absent. */
  static JsonObject object(JsonObject in, String field) {
    Object v = in.getValue(field);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw SqsError.invalidParameter(field + " must be a map.");
    }
    return o;
  }

  /** An optional JSON array field; null when absent. */
  static JsonArray array(JsonObject in, String field) {
    Object v = in.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw SqsError.invalidParameter(field + " must be a list.");
    }
    return a;
  }

  /** An optional list of strings; empty when absent. */
  static List<String> strings(JsonObject in, String field) {
    JsonArray a = array(in, field);
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object o : a) {
        if (!(o instanceof String s)) {
          throw SqsError.invalidParameter(field + " must be a list of strings.");
        }
        out.add(s);
      }
    }
    return out;
  }

  /** An optional map of strings to strings; empty when absent. */
  static java.util.Map<String, String> stringMap(JsonObject in, String field) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, Object> e : object(in, field)) {
      if (!(e.getValue() instanceof String s)) {
        throw SqsError.invalidParameter(field + " must map strings to strings; " + e.getKey() + " is not a string.");
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** An optional integer from {@code min} to {@code max}; null when absent. */
  static Integer integer(JsonObject in, String field, int min, int max) {
    Object v = in.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.longValue() < min || n.longValue() > max || n.doubleValue() != n.longValue()) {
      throw SqsError.invalidParameter("Value " + v + " for parameter " + field + " is invalid. Reason: must be between "
          + min + " and " + max + ".");
    }
    return n.intValue();
  }
}
