package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MessageStore.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * What a message is sent with besides its body: message and system attributes, the FIFO group
 * and deduplication id, and its delay. Stored with the message as its {@code meta}.
 */
record MessageOptions(MessageAttributes attributes, MessageAttributes system, String groupId, String dedupId, int delaySeconds) {

  static final MessageOptions NONE = new MessageOptions(MessageAttributes.NONE, MessageAttributes.NONE, null, null, 0);
  /** Group and deduplication ids: 1 to 128 letters, digits and punctuation, as SQS takes them. */
  private static final Pattern ID = Pattern.compile("[!-~]{1,128}");

  /**
   * The options of one SendMessage (or batch entry) for {@code q}, checked as SQS checks them,
   * {@code body} included against the queue's size limit (its attributes count towards it).
   */
  static MessageOptions parse(Queue q, JsonObject in, String body) {
    MessageAttributes attributes = MessageAttributes.parse(in, "MessageAttributes");
    MessageAttributes system = MessageAttributes.parseSystem(in);
    long size = (long) body.getBytes(StandardCharsets.UTF_8).length + attributes.size();
    int max = Integer.parseInt(q.attribute("MaximumMessageSize"));
    if (size > max) {
      throw SqsError.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than " + max
          + " bytes (this one is " + size + " bytes, its attributes included).");
    }
    Integer delay = SqsJson.integer(in, "DelaySeconds", 0, QueueSettings.MAX_DELAY_SECONDS);
    String group = id(in, "MessageGroupId");
    String dedup = id(in, "MessageDeduplicationId");
    if (q.fifo()) {
      if (delay != null) {
        throw SqsError.invalidParameter("Value " + delay + " for parameter DelaySeconds is invalid. Reason: The request "
            + "include parameter that is not valid for this queue type (a FIFO queue has only a queue-level delay).");
      }
      if (group == null) {
        throw SqsError.missingParameter("MessageGroupId");
      }
      if (dedup == null) {
        if (!"true".equals(q.attribute(QueueSettings.CONTENT_DEDUP))) {
          throw SqsError.invalidParameter("The queue should either have ContentBasedDeduplication enabled or "
              + "MessageDeduplicationId provided explicitly");
        }
        dedup = sha256(body);
      }
    } else if (dedup != null) {
      throw SqsError.invalidParameter("The request include parameter MessageDeduplicationId that is not valid for this "
          + "queue type (only FIFO queues deduplicate).");
    }
    int delaySeconds = delay != null ? delay : Integer.parseInt(q.attribute("DelaySeconds"));
    return new MessageOptions(attributes, system, group, dedup, delaySeconds);
  }

  /** The options stored with {@code m}; {@link #NONE} for messages stored before options existed. */
  static MessageOptions of(StoredMessage m) {
    JsonObject meta = m.meta();
    if (meta.isEmpty()) {
      return NONE;
    }
    return new MessageOptions(MessageAttributes.parse(meta, "attributes"), MessageAttributes.parse(meta, "system"),
        meta.getString("group"), meta.getString("dedup"), meta.getInteger("delay", 0));
  }

  /** The form stored as a message's {@code meta}: only what is set. */
  JsonObject toMeta() {
    JsonObject meta = new JsonObject();
    if (!attributes.isEmpty()) {
      meta.put("attributes", attributes.toJson());
    }
    if (!system.isEmpty()) {
      meta.put("system", system.toJson());
    }
    if (groupId != null) {
      meta.put("group", groupId);
    }
    if (dedupId != null) {
      meta.put("dedup", dedupId);
    }
    if (delaySeconds > 0) {
      meta.put("delay", delaySeconds);
    }
    return meta;
  }

  private static String id(JsonObject in, String field) {
    String v = SqsJson.optionalString(in, field, null);
    if (v != null && !ID.matcher(v).matches()) {
      throw SqsError.invalidParameter("Value " + v + " for parameter " + field + " is invalid. Reason: it must be 1 to 128 "
          + "letters, digits or punctuation.");
    }
    return v;
  }

  private static String sha256(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
