package io.quiesce.sample.sqs;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The message attributes of one message (or its system attributes), validated as SQS validates
 * them. Their JSON form is the wire form ({@code {"name": {"DataType": ..., "StringValue" |
 * "BinaryValue": ...}}}), which is also how they are stored. Immutable.
 */
final class MessageAttributes {

  /** One attribute: a String or Number type (and custom label) with a string value, or a Binary type with bytes. */
  record Attribute(String dataType, String stringValue, byte[] binaryValue) {
    boolean binary() {
      return binaryValue != null;
    }
  }

  static final MessageAttributes NONE = new MessageAttributes(new TreeMap<>());
  static final int MAX_ATTRIBUTES = 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\..{1,249})?");
  /** SQS's numbers: up to 38 significant digits, from -10^128 to 10^126. */
  private static final BigDecimal MAX_NUMBER = BigDecimal.TEN.pow(126);
  private static final BigDecimal MIN_NUMBER = BigDecimal.TEN.pow(128).negate();
  /** The only system attribute SQS takes on send. */
  private static final String TRACE_HEADER = "AWSTraceHeader";

  private final SortedMap<String, Attribute> attributes;

  private MessageAttributes(SortedMap<String, Attribute> attributes) {
    this.attributes = Collections.unmodifiableSortedMap(attributes);
  }

  /** The user attributes in {@code field} of a send request; {@link #NONE} when absent. */
  static MessageAttributes parse(JsonObject in, String field) {
    JsonObject given = SqsJson.object(in, field);
    if (given.size() > MAX_ATTRIBUTES) {
      throw SqsError.invalidParameter("Number of message attributes [" + given.size() + "] exceeds the allowed maximum ["
          + MAX_ATTRIBUTES + "].");
    }
    SortedMap<String, Attribute> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : given) {
      String name = e.getKey();
      if (!NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
          || name.toLowerCase(Locale.ROOT).startsWith("aws.") || name.toLowerCase(Locale.ROOT).startsWith("amazon.")) {
        throw SqsError.invalidParameter("Message (user) attribute name '" + name + "' is invalid: use 1 to 256 letters, digits, "
            + "'_', '-' and '.' (not first, last or twice in a row), not starting with 'AWS.' or 'Amazon.'.");
      }
      out.put(name, attribute(name, e.getValue()));
    }
    return out.isEmpty() ? NONE : new MessageAttributes(out);
  }

  /** The system attributes of a send request: only {@code AWSTraceHeader}, of type String, as SQS takes. */
  static MessageAttributes parseSystem(JsonObject in) {
    JsonObject given = SqsJson.object(in, "MessageSystemAttributes");
    SortedMap<String, Attribute> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : given) {
      if (!TRACE_HEADER.equals(e.getKey())) {
        throw SqsError.invalidParameter("Message system attribute name '" + e.getKey() + "' is invalid: the only one a "
            + "sender may set is " + TRACE_HEADER + ".");
      }
      Attribute a = attribute(e.getKey(), e.getValue());
      if (!a.dataType().equals("String")) {
        throw SqsError.invalidParameter("Message system attribute " + TRACE_HEADER + " must be of type String.");
      }
      out.put(e.getKey(), a);
    }
    return out.isEmpty() ? NONE : new MessageAttributes(out);
  }

  private static Attribute attribute(String name, Object value) {
    if (!(value instanceof JsonObject v)) {
      throw SqsError.invalidParameter("Message attribute '" + name + "' must be a map with DataType and StringValue or BinaryValue.");
    }
    String type = SqsJson.optionalString(v, "DataType", "");
    if (type.isEmpty()) {
      throw SqsError.invalidParameter("The message attribute '" + name + "' must contain non-empty message attribute type.");
    }
    if (!DATA_TYPE.matcher(type).matches()) {
      throw SqsError.invalidParameter("The type of message (user) attribute '" + name + "' is invalid. You must use only "
          + "the following supported type prefixes: Binary, Number, String (with an optional '.label').");
    }
    if (v.getValue("StringListValues") != null || v.getValue("BinaryListValues") != null) {
      throw SqsError.invalidParameter("Message attribute '" + name + "': StringListValues and BinaryListValues are reserved "
          + "by SQS and not implemented.");
    }
    String string = SqsJson.optionalString(v, "StringValue", null);
    String base64 = SqsJson.optionalString(v, "BinaryValue", null);
    boolean binary = type.startsWith("Binary");
    if (binary ? base64 == null || base64.isEmpty() || string != null : string == null || string.isEmpty() || base64 != null) {
      throw SqsError.invalidParameter("The message attribute '" + name + "' must contain a non-empty message attribute value "
          + "for message attribute type '" + type + "' (" + (binary ? "BinaryValue" : "StringValue") + ", and no other).");
    }
    if (binary) {
      try {
        return new Attribute(type, null, Base64.getDecoder().decode(base64));
      } catch (IllegalArgumentException e) {
        throw SqsError.invalidParameter("The BinaryValue of message attribute '" + name + "' is not base64.");
      }
    }
    if (type.startsWith("Number")) {
      checkNumber(name, string);
    }
    return new Attribute(type, string, null);
  }

  private static void checkNumber(String name, String value) {
    BigDecimal n;
    try {
      n = new BigDecimal(value.strip());
    } catch (NumberFormatException e) {
      throw SqsError.invalidParameter("Can't cast the value of message (user) attribute '" + name + "' to a number.");
    }
    if (n.precision() > 38 || n.compareTo(MAX_NUMBER) > 0 || n.compareTo(MIN_NUMBER) < 0) {
      throw SqsError.invalidParameter("Value of message (user) attribute '" + name + "' is outside SQS's numbers "
          + "(at most 38 significant digits, from -10^128 to 10^126).");
    }
  }

  boolean isEmpty() {
    return attributes.isEmpty();
  }

  Map<String, Attribute> asMap() {
    return attributes;
  }

  /** Bytes counted against the message size limit: each name, type and value. */
  int size() {
    int size = 0;
    for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
      Attribute a = e.getValue();
      size += utf8(e.getKey()).length + utf8(a.dataType()).length
          + (a.binary() ? a.binaryValue().length : utf8(a.stringValue()).length);
    }
    return size;
  }

  /**
   * The attributes whose names match {@code requested} as ReceiveMessage's
   * {@code MessageAttributeNames}: {@code All} or {@code .*} for all, {@code prefix.*} for the names
   * starting with {@code prefix.}, otherwise the exact name.
   */
  MessageAttributes select(List<String> requested) {
    if (requested.isEmpty() || attributes.isEmpty()) {
      return NONE;
    }
    SortedMap<String, Attribute> out = new TreeMap<>();
    for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
      for (String r : requested) {
        if (r.equals("All") || r.equals(".*") || r.equals(e.getKey())
            || r.endsWith(".*") && e.getKey().startsWith(r.substring(0, r.length() - 1))) {
          out.put(e.getKey(), e.getValue());
          break;
        }
      }
    }
    return out.isEmpty() ? NONE : new MessageAttributes(out);
  }

  /**
   * The MD5 SQS reports for these attributes ({@code MD5OfMessageAttributes}), which the SDKs check:
   * for each attribute in name order, the name, the data type and the value, each as a 4-byte
   * big-endian length and its bytes, with a transport byte (1 string, 2 binary) before the value.
   */
  String md5() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
      Attribute a = e.getValue();
      lengthAndBytes(out, utf8(e.getKey()));
      lengthAndBytes(out, utf8(a.dataType()));
      out.write(a.binary() ? 2 : 1);
      lengthAndBytes(out, a.binary() ? a.binaryValue() : utf8(a.stringValue()));
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(out.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JVM", e);
    }
  }

  /** The wire (and stored) form. */
  JsonObject toJson() {
    JsonObject out = new JsonObject();
    attributes.forEach((name, a) -> out.put(name, a.binary()
        ? new JsonObject().put("DataType", a.dataType()).put("BinaryValue", Base64.getEncoder().encodeToString(a.binaryValue()))
        : new JsonObject().put("DataType", a.dataType()).put("StringValue", a.stringValue())));
    return out;
  }

  private static void lengthAndBytes(ByteArrayOutputStream out, byte[] bytes) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
